package kube

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/internal/kubetest"
)

// A Service is ready while one of its EndpointSlices has a ready endpoint:
// not before it has one, not when its endpoint stops being ready, again
// when it is back. An endpoint added to a ready slice changes nothing
// Found says, and calls no onChange.
func testReadiness(t *testing.T, c *kubetest.Cluster, r *Registry) {
	kubetest.Namespace(t, c.Client, "ready")
	change, calls := counter()
	l := acquire(t, r, change, Source{Cluster: admin(c, "readiness"), Kind: Service, Namespace: "ready", Name: "web"})
	kubetest.LBService(t, c.Client, "ready", "web", metav1.ObjectMeta{}, "192.0.2.30")
	const reason = "service ready/web has no ready endpoint"
	waitFound(t, l, 0, down("service ready/web", "192.0.2.30", reason))
	kubetest.Endpoints(t, c.Client, "ready", "web", true)
	waitFound(t, l, 0, up("service ready/web", "192.0.2.30"))
	kubetest.Endpoints(t, c.Client, "ready", "web", false)
	waitFound(t, l, 0, down("service ready/web", "192.0.2.30", reason))
	kubetest.Endpoints(t, c.Client, "ready", "web", true)
	waitFound(t, l, 0, up("service ready/web", "192.0.2.30"))

	version, n := settled(t, l), calls.Load()
	ctx := context.Background()
	slice, err := c.Client.DiscoveryV1().EndpointSlices("ready").Get(ctx, "web-1", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	more := slice.Endpoints[0]
	more.Addresses = []string{"10.0.0.8"}
	slice.Endpoints = append(slice.Endpoints, more)
	if _, err := c.Client.DiscoveryV1().EndpointSlices("ready").Update(ctx, slice, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The event comes in milliseconds; a second is ample to see it ignored.
	stillWithin(t, "an endpoint added to a ready slice changed the version", time.Second, func() bool {
		return l.Version() == version && calls.Load() == n
	})
}

// The public-address annotation's addresses and host names replace the
// status's (behind NAT), an entry that is neither ignored; ExternalDNS's
// target annotation is read without it.
func testPublicAddress(t *testing.T, c *kubetest.Cluster, r *Registry) {
	kubetest.Namespace(t, c.Client, "nat")
	natted := metav1.ObjectMeta{Annotations: map[string]string{PublicAddress: " 203.0.113.5, 2001:db8::5 ,Edge.Example.COM., not an address!", ExternalDNSTarget: "198.51.100.1"}}
	kubetest.LBService(t, c.Client, "nat", "web", natted, "10.1.0.5")
	kubetest.LBService(t, c.Client, "nat", "api", metav1.ObjectMeta{Annotations: map[string]string{ExternalDNSTarget: "198.51.100.2"}}, "10.1.0.6")
	for _, svc := range []string{"web", "api"} {
		kubetest.Endpoints(t, c.Client, "nat", svc, true)
	}
	main := admin(c, "public address")
	l := acquire(t, r, nil,
		Source{Cluster: main, Kind: Service, Namespace: "nat", Name: "web"},
		Source{Cluster: main, Kind: Service, Namespace: "nat", Name: "api"})
	waitFound(t, l, 0, up("service nat/web", "203.0.113.5"), up("service nat/web", "2001:db8::5"), up("service nat/web", "edge.example.com."))
	waitFound(t, l, 1, up("service nat/api", "198.51.100.2"))
}
