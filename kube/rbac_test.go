package kube

import (
	"slices"
	"testing"
)

// Each kind needs its resource and, for Services and Ingresses, the
// EndpointSlices; a namespaced source needs only its namespace.
func TestRules(t *testing.T) {
	eu := Cluster{Name: "eu"}
	got := Rules([]Source{
		{Cluster: eu, Kind: Service, Namespace: "prod", Name: "web"},
		{Cluster: eu, Kind: Ingress, Namespace: "prod", Selector: "app=web"},
		{Cluster: eu, Kind: Gateway, Selector: "app=edge"},
	})
	want := []Rule{
		{"eu", "gateway.networking.k8s.io", "gateways", ""},
		{"eu", "", "services", "prod"},
		{"eu", "discovery.k8s.io", "endpointslices", "prod"},
		{"eu", "networking.k8s.io", "ingresses", "prod"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Rules = %v\nwant %v", got, want)
	}
}
