package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/gslb/gslb/internal/kubetest"
)

// TestKubeSeparateGSLB runs the separate GSLB variant as deployed against
// two real API servers, the eu and us clusters: each gets the member
// clusters' RBAC of the manifests (member-cluster/rbac.yaml), and gslb
// reads both as their gslb-reader account, through one kubeconfig of two
// contexts as the gslb-clusters Secret holds. One name is served from both
// clusters' Services; a status change in one moves the answer; an outage
// of one cluster's API keeps that pool's members, and shows in the metric
// and the log.
func TestKubeSeparateGSLB(t *testing.T) {
	m := loadManifests(t, "gslb-dns")
	member := loadManifests(t, filepath.Join("gslb-dns", "member-cluster"))
	sites := newSiteBackends(t, "127.0.0.31", "127.0.0.32", "127.0.0.33")
	clusters := map[string]*kubetest.Cluster{"eu": kubetest.Start(t), "us": kubetest.Start(t)}
	contexts := map[string]*rest.Config{}
	lb := map[string]string{"eu": "127.0.0.31", "us": "127.0.0.32"}
	for name, c := range clusters {
		kubetest.Namespace(t, c.Client, "shop")
		applyMemberRBAC(t, c, member)
		contexts[name] = c.Token(t, "gslb", "gslb-reader").Config
		kubetest.LBService(t, c.Client, "shop", "web", metav1.ObjectMeta{Labels: map[string]string{"app.kubernetes.io/name": "web"}}, lb[name])
		kubetest.Endpoints(t, c.Client, "shop", "web", true)
	}
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	kubetest.WriteContexts(t, kubeconfig, contexts)
	corefile := configMapCorefileOf(t, m, kubeconfig, func(stanza string) string {
		standby := newHTTPBackend(t)
		stanza = strings.ReplaceAll(stanza, "http 80 /healthz", "http "+sites.port+" /healthz")
		return probeLoopback(stanza, "127.0.0.1:"+standby.port())
	})
	metrics := regexp.MustCompile(`prometheus 127\.0\.0\.1:(\d+)`).FindStringSubmatch(corefile)[1]
	s := startServer(t, corefile)
	gslbZone := gslbServer(s)

	// The geo record: clients of the eu network get eu's Service, others
	// us's, each cluster's load balancer address.
	waitAnswers(t, gslbZone, "app.gslb.example.com.", dns.TypeA, "10.10.1.0/24", 5*time.Second, "127.0.0.31")
	waitAnswers(t, gslbZone, "app.gslb.example.com.", dns.TypeA, "", 5*time.Second, "127.0.0.32")
	// The weighted one answers from both clusters.
	seen := map[string]bool{}
	for i := 0; i < 64 && len(seen) < 2; i++ {
		for _, a := range answerSet(t, gslbZone, "api.gslb.example.com.", dns.TypeA, fmt.Sprintf("10.%d.%d.0/24", i, i*7%256)) {
			seen[a] = true
		}
	}
	if !seen["127.0.0.31"] || !seen["127.0.0.32"] {
		t.Errorf("api answered %v over 64 subnets, want both clusters' addresses", seen)
	}

	// eu's load balancer moves: the answer follows the status.
	kubetest.SetLBStatus(t, clusters["eu"].Client, "shop", "web", "127.0.0.33")
	took := waitAnswers(t, gslbZone, "app.gslb.example.com.", dns.TypeA, "10.10.1.0/24", 10*time.Second, "127.0.0.33")
	t.Logf("answer followed the status %v after its change", took)

	// us's API goes away: its pool keeps its member, probed and answered,
	// and the loss shows in the metric and the log.
	up := func() float64 {
		v, _ := metricValue(scrapeMetrics(t, metrics), "coredns_gslb_kubernetes_api_up", "cluster", "us")
		return v
	}
	if up() != 1 {
		t.Fatalf("kubernetes_api_up{cluster=us} %v before the outage, want 1", up())
	}
	clusters["us"].Stop()
	eventually(t, "kubernetes_api_up{cluster=us} 0 after its API server stopped", 30*time.Second, func() bool { return up() == 0 })
	if got := answerSet(t, gslbZone, "app.gslb.example.com.", dns.TypeA, ""); strings.Join(got, " ") != "127.0.0.32" {
		t.Errorf("during us's outage app answered %v, want its last known member 127.0.0.32", got)
	}
	if out := s.out.String(); !strings.Contains(out, "kubernetes cluster us: API unreachable") {
		t.Errorf("the log does not say us's API is unreachable:\n%s", out)
	}
	clusters["us"].Restart(t)
	eventually(t, "kubernetes_api_up{cluster=us} 1 after its API server is back", 30*time.Second, func() bool { return up() == 1 })
	// And a change after the outage is followed again.
	kubetest.SetLBStatus(t, clusters["us"].Client, "shop", "web", "127.0.0.31")
	waitAnswers(t, gslbZone, "app.gslb.example.com.", dns.TypeA, "", 15*time.Second, "127.0.0.31")
}

// applyMemberRBAC applies a member cluster's manifests, as kubectl apply
// would, and returns once the authorizer grants their Roles.
func applyMemberRBAC(t *testing.T, c *kubetest.Cluster, m *manifests) {
	t.Helper()
	ctx := context.Background()
	for _, ns := range m.namespaces {
		kubetest.Namespace(t, c.Client, ns.Name)
	}
	if _, err := c.Client.CoreV1().ServiceAccounts(m.serviceAccount.Namespace).Create(ctx, m.serviceAccount, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range m.secrets {
		if _, err := c.Client.CoreV1().Secrets(s.Namespace).Create(ctx, s, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range m.namespaced {
		if _, err := c.Client.RbacV1().Roles(r.Namespace).Create(ctx, r, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range m.roleBindings {
		if _, err := c.Client.RbacV1().RoleBindings(b.Namespace).Create(ctx, b, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range m.namespaced {
		c.WaitAllowedIn(t, r.Namespace, m.serviceAccount.Namespace, m.serviceAccount.Name, r.Rules...)
	}
}
