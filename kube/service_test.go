package kube

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/internal/kubetest"
	"github.com/gslb/gslb/internal/poll"
)

// A Service's members are its load balancer's addresses, IPv4, IPv6 and
// host names, in the status's order; a change of them reaches Found, grows
// the version and calls onChange. A Service that is not there has none.
func testServiceStatus(t *testing.T, c *kubetest.Cluster, r *Registry) {
	kubetest.Namespace(t, c.Client, "status")
	change, calls := counter()
	l := acquire(t, r, change, Source{Cluster: admin(c, "status"), Kind: Service, Namespace: "status", Name: "web"})
	if got := l.Found(0); len(got) != 0 {
		t.Fatalf("a Service not there found %s", show(got))
	}
	kubetest.LBService(t, c.Client, "status", "web", metav1.ObjectMeta{}, "192.0.2.10")
	kubetest.Endpoints(t, c.Client, "status", "web", true)
	waitFound(t, l, 0, up("service status/web", "192.0.2.10"))

	version, n := l.Version(), calls.Load()
	svc, err := c.Client.CoreV1().Services("status").Get(context.Background(), "web", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kubetest.SetLBStatus(t, c.Client, svc.Namespace, svc.Name, "192.0.2.11", "2001:db8::11", "lb.example.net")
	waitFound(t, l, 0, up("service status/web", "192.0.2.11"), up("service status/web", "2001:db8::11"), up("service status/web", "lb.example.net."))
	// The cache changes before its event is handed out: Found may see it a
	// moment before the version does.
	poll.Until(t, "version and onChange after the status changed", within, func() bool { return l.Version() > version && calls.Load() > n })
	if err := c.Client.CoreV1().Services("status").Delete(context.Background(), "web", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFound(t, l, 0)
}

// A selector's members are those of every Service it matches, by
// namespace and name; in every namespace when the source names none. A
// Service relabelled out of it leaves.
func testSelector(t *testing.T, c *kubetest.Cluster, r *Registry) {
	for _, ns := range []string{"sel-a", "sel-b"} {
		kubetest.Namespace(t, c.Client, ns)
	}
	shop := metav1.ObjectMeta{Labels: map[string]string{"app": "shop"}}
	kubetest.LBService(t, c.Client, "sel-b", "web", shop, "192.0.2.21")
	kubetest.LBService(t, c.Client, "sel-a", "web", shop, "192.0.2.20")
	kubetest.LBService(t, c.Client, "sel-a", "api", shop, "192.0.2.19")
	kubetest.LBService(t, c.Client, "sel-a", "blog", metav1.ObjectMeta{Labels: map[string]string{"app": "blog"}}, "192.0.2.22")
	for _, s := range [][2]string{{"sel-a", "api"}, {"sel-a", "web"}, {"sel-b", "web"}, {"sel-a", "blog"}} {
		kubetest.Endpoints(t, c.Client, s[0], s[1], true)
	}
	main := admin(c, "selector")
	l := acquire(t, r, nil,
		Source{Cluster: main, Kind: Service, Namespace: "sel-a", Selector: "app=shop"},
		Source{Cluster: main, Kind: Service, Selector: "app in (shop)"})
	waitFound(t, l, 0, up("service sel-a/api", "192.0.2.19"), up("service sel-a/web", "192.0.2.20"))
	waitFound(t, l, 1, up("service sel-a/api", "192.0.2.19"), up("service sel-a/web", "192.0.2.20"), up("service sel-b/web", "192.0.2.21"))

	svc, err := c.Client.CoreV1().Services("sel-a").Get(context.Background(), "web", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Labels["app"] = "blog"
	if _, err := c.Client.CoreV1().Services("sel-a").Update(context.Background(), svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFound(t, l, 0, up("service sel-a/api", "192.0.2.19"))
	waitFound(t, l, 1, up("service sel-a/api", "192.0.2.19"), up("service sel-b/web", "192.0.2.21"))
}
