package kube

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"

	"github.com/gslb/gslb/internal/kubetest"
)

// A cluster without the Gateway API syncs with no members (the server
// says there are no Gateways) and keeps asking; once installed, a
// Gateway's members are its status's addresses and host names (not its
// other types), ready once programmed.
func testGateway(t *testing.T, c *kubetest.Cluster, r *Registry) {
	kubetest.Namespace(t, c.Client, "gw")
	l := acquire(t, r, nil, Source{Cluster: admin(c, "gateway"), Kind: Gateway, Namespace: "gw", Selector: "tier=edge"})
	if got := l.Found(0); len(got) != 0 {
		t.Fatalf("without the Gateway API: found %s", show(got))
	}

	gateways := c.GatewayCRD(t).Resource(kubetest.Gateways).Namespace("gw")
	gw := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "Gateway",
		"metadata":   map[string]any{"name": "edge", "labels": map[string]any{"tier": "edge"}},
		"spec":       map[string]any{"gatewayClassName": "test", "listeners": []any{map[string]any{"name": "http", "port": int64(80), "protocol": "HTTP"}}},
	}}
	gw = gatewayStatus(t, gateways, gw, "False", "waiting for an address")
	const reason = "gateway gw/edge is not programmed: waiting for an address"
	waitFound(t, l, 0, down("gateway gw/edge", "192.0.2.40", reason), down("gateway gw/edge", "2001:db8::40", reason), down("gateway gw/edge", "gw.example.net.", reason))
	gatewayStatus(t, gateways, gw, "True", "")
	waitFound(t, l, 0, up("gateway gw/edge", "192.0.2.40"), up("gateway gw/edge", "2001:db8::40"), up("gateway gw/edge", "gw.example.net."))
}

// gatewayStatus creates gw unless it has a version, and writes its status:
// three addresses (one of the default type) and one of a type naming none,
// and its Programmed condition.
func gatewayStatus(t *testing.T, gateways dynamic.ResourceInterface, gw *unstructured.Unstructured, programmed, message string) *unstructured.Unstructured {
	t.Helper()
	ctx := context.Background()
	var err error
	if gw.GetResourceVersion() == "" {
		if gw, err = gateways.Create(ctx, gw, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	gw.Object["status"] = map[string]any{
		"addresses": []any{
			map[string]any{"type": "IPAddress", "value": "192.0.2.40"},
			map[string]any{"value": "2001:db8::40"},
			map[string]any{"type": "Hostname", "value": "GW.example.net"},
			map[string]any{"type": "example.com/NamedAddress", "value": "edge-pool"},
		},
		"conditions": []any{map[string]any{"type": "Programmed", "status": programmed, "reason": "Test", "message": message}},
	}
	if gw, err = gateways.UpdateStatus(ctx, gw, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	return gw
}
