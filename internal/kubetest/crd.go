package kubetest

import (
	"context"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// Gateways is the Gateway API's resource the plugin reads.
var Gateways = schema.GroupVersionResource{Group: "gateway.networking.k8s.io", Version: "v1", Resource: "gateways"}

var crds = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// GatewayCRD installs a minimal Gateway CRD (gateway.networking.k8s.io/v1,
// any fields, a status subresource), as the Gateway API's would be, and
// returns a dynamic client once the server serves Gateways. Through the
// dynamic client: the apiextensions module is no dependency of ours.
func (c *Cluster) GatewayCRD(t testing.TB) dynamic.Interface {
	t.Helper()
	client, err := dynamic.NewForConfig(c.Config)
	if err != nil {
		t.Fatal(err)
	}
	crd := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apiextensions.k8s.io/v1",
		"kind":       "CustomResourceDefinition",
		"metadata": map[string]any{
			"name": "gateways.gateway.networking.k8s.io",
			// A k8s.io group is protected; the Gateway API's CRDs say where
			// their API was approved.
			"annotations": map[string]any{"api-approved.kubernetes.io": "https://github.com/kubernetes-sigs/gateway-api/pull/2466"},
		},
		"spec": map[string]any{
			"group": Gateways.Group,
			"scope": "Namespaced",
			"names": map[string]any{"plural": "gateways", "singular": "gateway", "kind": "Gateway", "listKind": "GatewayList"},
			"versions": []any{map[string]any{
				"name": "v1", "served": true, "storage": true,
				"schema":       map[string]any{"openAPIV3Schema": map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
				"subresources": map[string]any{"status": map[string]any{}},
			}},
		},
	}}
	ctx := context.Background()
	if _, err := client.Resource(crds).Create(ctx, crd, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The server serves a new resource a moment after its CRD is written.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		_, err := client.Resource(Gateways).List(ctx, metav1.ListOptions{})
		if err == nil {
			return client
		}
		if !apierrors.IsNotFound(err) || time.Now().After(deadline) {
			t.Fatalf("Gateways not served after creating their CRD: %v", err)
		}
	}
}
