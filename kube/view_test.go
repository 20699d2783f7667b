package kube

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/internal/kubetest"
)

// Only events that may change Found's results count: an EndpointSlice
// becoming ready or not, not one gaining an endpoint while ready; a
// Service's addresses changing, not its other fields; an object with no
// address coming or going changes nothing.
func TestEssence(t *testing.T) {
	yes, no := true, false
	slice := func(ready ...*bool) *discoveryv1.EndpointSlice {
		s := &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Namespace: "prod", Name: "web-1", Labels: map[string]string{discoveryv1.LabelServiceName: "web"}}}
		for _, r := range ready {
			s.Endpoints = append(s.Endpoints, discoveryv1.Endpoint{Conditions: discoveryv1.EndpointConditions{Ready: r}})
		}
		return s
	}
	svc := func(ports int32, ips ...string) *corev1.Service {
		s := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "prod", Name: "web"}}
		s.Spec.Ports = []corev1.ServicePort{{Port: ports}}
		s.Status.LoadBalancer.Ingress = kubetest.LBIngress(ips)
		return s
	}
	for _, tc := range []struct {
		what     string
		res      resource
		old, obj any
		counts   bool
	}{
		{"ready slice added", endpointSlices, nil, slice(&yes), true},
		{"slice without a ready endpoint added", endpointSlices, nil, slice(&no), false},
		{"slice of an endpoint without conditions added", endpointSlices, nil, slice(nil), true},
		{"endpoint added to a ready slice", endpointSlices, slice(&yes), slice(&yes, &no), false},
		{"slice's endpoint no longer ready", endpointSlices, slice(&yes), slice(&no), true},
		{"ready slice deleted", endpointSlices, slice(&yes), nil, true},
		{"Service's address changed", services, svc(80, "192.0.2.1"), svc(80, "192.0.2.2"), true},
		{"Service's port changed", services, svc(80, "192.0.2.1"), svc(81, "192.0.2.1"), false},
		{"Service without an address added", services, nil, svc(80), false},
		{"Service deleted", services, svc(80, "192.0.2.1"), nil, true},
	} {
		if got := tc.res.essence(tc.old) != tc.res.essence(tc.obj); got != tc.counts {
			t.Errorf("%s: counts %v, want %v", tc.what, got, tc.counts)
		}
	}
}
