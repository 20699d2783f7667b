package kube

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/internal/kubetest"
	"github.com/gslb/gslb/internal/poll"
)

// A ServiceAccount that may list and watch Services and EndpointSlices in
// one namespace only runs a source of that namespace: its watches are of
// the namespace. A source of every namespace is forbidden it: it never
// syncs, and its errors count.
func testNamespacedRBAC(t *testing.T, c *kubetest.Cluster, r *Registry) {
	a := c.ServiceAccount(t, "rbac", "gslb")
	c.Grant(t, "rbac", "gslb",
		rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"services"}, Verbs: []string{"list", "watch"}},
		rbacv1.PolicyRule{APIGroups: []string{"discovery.k8s.io"}, Resources: []string{"endpointslices"}, Verbs: []string{"list", "watch"}})
	kubetest.LBService(t, c.Client, "rbac", "web", metav1.ObjectMeta{}, "192.0.2.70")
	kubetest.Endpoints(t, c.Client, "rbac", "web", true)

	account := Cluster{Name: "rbac", Kubeconfig: a.Kubeconfig}
	l := acquire(t, r, nil, Source{Cluster: account, Kind: Service, Namespace: "rbac", Name: "web"})
	waitFound(t, l, 0, up("service rbac/web", "192.0.2.70"))

	before := testutil.ToFloat64(watchErrors.WithLabelValues("rbac"))
	wide, err := r.Acquire([]Source{{Cluster: account, Kind: Service, Selector: "app=web"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer wide.Release()
	poll.Until(t, "forbidden watches counted", within, func() bool { return testutil.ToFloat64(watchErrors.WithLabelValues("rbac")) > before })
	if poll.Closed(wide.Synced()) {
		t.Error("a source of every namespace synced without the right to list them")
	}
}

// A cluster named by its endpoint and CA file is reached (anonymous: it may
// read /readyz, nothing else); a TLS file that is not there fails the
// Acquire, named.
func testEndpointTLS(t *testing.T, c *kubetest.Cluster, r *Registry) {
	endpoint := Cluster{Name: "endpoint", Endpoint: c.Config.Host, TLS: TLS{CA: c.CAFile}}
	l, err := r.Acquire([]Source{{Cluster: endpoint, Kind: Service, Namespace: "default", Name: "kubernetes"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	poll.Until(t, "API up through the endpoint", within, func() bool { return r.APIUp(endpoint) })
	if got := testutil.ToFloat64(apiUp.WithLabelValues("endpoint")); got != 1 {
		t.Errorf("kubernetes_api_up{cluster=endpoint} %v, want 1", got)
	}

	missing := Cluster{Name: "no-ca", Endpoint: c.Config.Host, TLS: TLS{CA: t.TempDir() + "/ca.crt"}}
	if _, err := r.Acquire([]Source{{Cluster: missing, Kind: Service, Namespace: "default", Name: "kubernetes"}}, nil); err == nil || !strings.Contains(err.Error(), missing.TLS.CA) {
		t.Errorf("a CA file not there: %v, want an error naming it", err)
	}
}
