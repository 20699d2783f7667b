package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/miekg/dns"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"

	"github.com/gslb/gslb/internal/kubetest"
)

// kubeGatewayCorefile takes pool edge's members from Gateway infra/edge,
// probed at %[2]s; standby answers while it has none up.
const kubeGatewayCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    gslb {
        kubernetes {
            kubeconfig %[1]s kubetest
        }
        check web {
            http %[2]s /
            interval 250ms
            timeout 200ms
        }
        pool edge {
            gateway infra/edge
            check web
        }
        pool standby {
            member 192.0.2.10
        }
        record app {
            pools edge standby
            answers 4
        }
    }
}
`

// TestKubeGatewayMembers runs the binary on a pool of a Gateway API
// Gateway (its CRD installed in a real API server): its status's addresses
// are the members, answered while the Gateway is programmed, held back
// when it no longer is.
func TestKubeGatewayMembers(t *testing.T) {
	c := kubetest.Start(t)
	sites := newSiteBackends(t, "127.0.0.61", "127.0.0.62")
	kubetest.Namespace(t, c.Client, "infra")
	gateways := c.GatewayCRD(t).Resource(kubetest.Gateways).Namespace("infra")
	gw := programGateway(t, gateways, nil, "True", "127.0.0.61", "127.0.0.62")
	s := startServer(t, fmt.Sprintf(kubeGatewayCorefile, c.Kubeconfig, sites.port))
	waitAnswers(t, s, "app.gslb.test.", dns.TypeA, "", 5*time.Second, "127.0.0.61", "127.0.0.62")

	programGateway(t, gateways, gw, "False", "127.0.0.61", "127.0.0.62")
	waitAnswers(t, s, "app.gslb.test.", dns.TypeA, "", 5*time.Second, "192.0.2.10")
}

// programGateway creates Gateway infra/edge (when gw is nil) and writes its
// status: addresses and its Programmed condition.
func programGateway(t *testing.T, gateways dynamic.ResourceInterface, gw *unstructured.Unstructured, programmed string, addrs ...string) *unstructured.Unstructured {
	t.Helper()
	ctx := context.Background()
	var err error
	if gw == nil {
		gw = &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "gateway.networking.k8s.io/v1",
			"kind":       "Gateway",
			"metadata":   map[string]any{"name": "edge"},
			"spec":       map[string]any{"gatewayClassName": "test", "listeners": []any{map[string]any{"name": "http", "port": int64(80), "protocol": "HTTP"}}},
		}}
		if gw, err = gateways.Create(ctx, gw, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	} else if gw, err = gateways.Get(ctx, gw.GetName(), metav1.GetOptions{}); err != nil {
		t.Fatal(err)
	}
	var addresses []any
	for _, a := range addrs {
		addresses = append(addresses, map[string]any{"type": "IPAddress", "value": a})
	}
	gw.Object["status"] = map[string]any{
		"addresses":  addresses,
		"conditions": []any{map[string]any{"type": "Programmed", "status": programmed, "reason": "Test", "message": "by the test"}},
	}
	if gw, err = gateways.UpdateStatus(ctx, gw, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	return gw
}
