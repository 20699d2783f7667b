package kube

import (
	"testing"
	"time"

	"github.com/gslb/gslb/internal/kubetest"
)

// The tests that read a real API server share one: each start costs
// seconds. Each works in namespaces of its own, with a registry of its
// own, and names its cluster after itself, for the metrics' labels.
func TestAgainstAPIServer(t *testing.T) {
	t.Parallel() // beside TestAPIOutage's server: the two starts overlap
	c := kubetest.Start(t)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *kubetest.Cluster, *Registry)
	}{
		{"gateway", testGateway}, // first: the Gateway API is installed by it
		{"service status", testServiceStatus},
		{"selector", testSelector},
		{"readiness", testReadiness},
		{"public address", testPublicAddress},
		{"ingress", testIngress},
		{"shared watches", testSharedWatches},
		{"namespaced RBAC", testNamespacedRBAC},
		{"endpoint and TLS", testEndpointTLS},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, c, newTestRegistry(time.Minute)) })
	}
}
