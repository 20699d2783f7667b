package main

import (
	"context"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/gslb/gslb/internal/kubetest"
)

// The Service the cluster DNS is asked for, at a fixed address of the API
// server's service range: answer data only, nothing dials it.
const (
	kubeServiceNS   = "shop"
	kubeServiceName = "web"
	kubeServiceIP   = "10.96.0.50"
	kubeServiceFQDN = kubeServiceName + "." + kubeServiceNS + ".svc.cluster.local."
)

// TestKubeClusterDNS runs the cluster-DNS variant as deployed, against a
// real kube-apiserver: its RBAC (rbac.yaml) applied by the admin, its
// Corefile (configmap.yaml) on loopback with the kubernetes plugin reading
// the API as the manifests' ServiceAccount, through a kubeconfig of a
// token of it. The plugin must answer a ClusterIP Service's name, and the
// gslb zone beside it must answer still. Without the ClusterRoleBinding
// the same account's server never resolves the name: the binding is what
// grants the plugin its lists and watches.
func TestKubeClusterDNS(t *testing.T) {
	c := kubetest.Start(t)
	m := loadManifests(t, "cluster-dns")
	applyRBAC(t, c, m)
	createClusterIPService(t, c)
	sa := m.serviceAccount

	t.Run("bound", func(t *testing.T) {
		account := c.Token(t, sa.Namespace, sa.Name)
		sites := newSiteBackends(t, "127.0.0.41", "127.0.0.42")
		s := startServer(t, withKubeconfig(t, clusterDNSCorefile(t, m, account, sites), account.Kubeconfig))
		for _, netw := range []string{"udp", "tcp"} {
			r := pollKubeName(t, s, netw, 30*time.Second)
			if r == nil {
				t.Fatalf("%s: %s A never answered %s within 30s", netw, kubeServiceFQDN, kubeServiceIP)
			}
		}
		checkGSLBZone(t, s) // no object of the local pool yet: us answers
		if out := s.out.String(); strings.Contains(out, "unsynced Kubernetes API") {
			t.Errorf("the kubernetes plugin started unsynced with the manifests' RBAC:\n%s", out)
		}

		// The shop's load balancer and Ingress come up: the local pool,
		// read as the manifests' account, answers with them.
		kubetest.LBService(t, c.Client, "shop", "web-lb", metav1.ObjectMeta{}, "127.0.0.41")
		kubetest.Endpoints(t, c.Client, "shop", "web-lb", true)
		lbIngress(t, c.Client, "shop", "web", "web-lb", "127.0.0.42")
		gslb := gslbServer(s)
		eventually(t, "app answered by the local pool", 10*time.Second, func() bool {
			got := answerSet(t, gslb, "app.gslb.example.com.", dns.TypeA, "")
			return len(got) == 1 && (got[0] == "127.0.0.41" || got[0] == "127.0.0.42")
		})
		// Scaled to zero behind both: the pool is held back, us answers.
		kubetest.Endpoints(t, c.Client, "shop", "web-lb", false)
		eventually(t, "app failed over to us once no endpoint was ready", 10*time.Second, func() bool {
			got := answerSet(t, gslb, "app.gslb.example.com.", dns.TypeA, "")
			return len(got) == 1 && documentation(net.ParseIP(got[0]))
		})
	})

	t.Run("unbound", func(t *testing.T) {
		// An account of the same namespace that no binding names: what the
		// manifests' account would be without their ClusterRoleBinding.
		account := c.ServiceAccount(t, sa.Namespace, sa.Name+"-unbound")
		sites := newSiteBackends(t, "127.0.0.43")
		s := startServer(t, withKubeconfig(t, clusterDNSCorefile(t, m, account, sites), account.Kubeconfig))
		if r := pollKubeName(t, s, "udp", 3*time.Second); r != nil {
			t.Fatalf("%s A answered %v for an account without the ClusterRoleBinding", kubeServiceFQDN, r)
		}
		// Unsynced because RBAC refused the lists, not for another reason.
		out := s.out.String()
		forbidden := `User "system:serviceaccount:` + sa.Namespace + `:` + sa.Name + `-unbound" cannot list resource "services"`
		if !strings.Contains(out, "unsynced Kubernetes API") || !strings.Contains(out, forbidden) {
			t.Errorf("want the kubernetes plugin refused (%s) and started unsynced without the binding; output:\n%s", forbidden, out)
		}
		// The gslb zone does not depend on the API.
		checkGSLBZone(t, s)
	})
}

// clusterDNSCorefile is the cluster-DNS ConfigMap's Corefile on loopback,
// gslb reading the cluster as account, its check probing the sites'
// port and its member lines a backend of the test's.
func clusterDNSCorefile(t *testing.T, m *manifests, account *kubetest.Account, sites *siteBackends) string {
	t.Helper()
	kubeconfig := filepath.Join(t.TempDir(), "local.kubeconfig")
	kubetest.WriteContexts(t, kubeconfig, map[string]*rest.Config{"local": account.Config})
	return configMapCorefileOf(t, m, kubeconfig, func(stanza string) string {
		standby := newHTTPBackend(t)
		stanza = strings.ReplaceAll(stanza, "http 80 /healthz", "http "+sites.port+" /healthz")
		return probeLoopback(stanza, "127.0.0.1:"+standby.port())
	})
}

// gslbServer is s at its gslb.example.com server block's address.
func gslbServer(s *server) *server {
	for _, b := range s.Blocks {
		if strings.HasPrefix(b.Keys[0], "gslb.example.com") {
			return s.at(keyAddr(b.Keys[0]))
		}
	}
	return s
}

// applyRBAC creates the manifests' ServiceAccount, ClusterRoles and
// ClusterRoleBindings as kubectl apply would, and returns once the
// authorizer grants the account the roles' rules.
func applyRBAC(t *testing.T, c *kubetest.Cluster, m *manifests) {
	t.Helper()
	ctx := context.Background()
	sa := m.serviceAccount
	if sa == nil || len(m.roles) == 0 || len(m.bindings) == 0 {
		t.Fatalf("cluster-dns: want a ServiceAccount, ClusterRole and ClusterRoleBinding, got %+v", m)
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: sa.Namespace}}
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	if _, err := c.Client.CoreV1().ServiceAccounts(sa.Namespace).Create(ctx, sa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range m.roles {
		if _, err := c.Client.RbacV1().ClusterRoles().Create(ctx, r, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range m.bindings {
		if _, err := c.Client.RbacV1().ClusterRoleBindings().Create(ctx, b, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range m.roles {
		c.WaitAllowed(t, sa.Namespace, sa.Name, r.Rules...)
	}
}

// createClusterIPService creates namespace kubeServiceNS and in it a
// ClusterIP Service at kubeServiceIP.
func createClusterIPService(t *testing.T, c *kubetest.Cluster) {
	t.Helper()
	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: kubeServiceNS}}
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: kubeServiceName},
		Spec: corev1.ServiceSpec{
			Type:      corev1.ServiceTypeClusterIP,
			ClusterIP: kubeServiceIP,
			Ports:     []corev1.ServicePort{{Name: "http", Port: 80}},
		},
	}
	if _, err := c.Client.CoreV1().Services(kubeServiceNS).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// withKubeconfig points the Corefile's kubernetes plugin, which onLoopback
// aimed at a closed port, at the API of kubeconfig instead: the option
// that replaces the in-cluster configuration a pod would have.
func withKubeconfig(t *testing.T, corefile, kubeconfig string) string {
	t.Helper()
	endpoint := regexp.MustCompile(`(?m)^(\s*)endpoint http://\S+$`)
	if n := len(endpoint.FindAllString(corefile, -1)); n != 1 {
		t.Fatalf("want one kubernetes endpoint line in the Corefile, found %d:\n%s", n, corefile)
	}
	return endpoint.ReplaceAllString(corefile, "${1}kubeconfig "+kubeconfig+" kubetest")
}

// pollKubeName asks for the Service's A record over netw until it answers
// kubeServiceIP, returning that reply, or nil once within has passed.
func pollKubeName(t *testing.T, s *server, netw string, within time.Duration) *dns.Msg {
	t.Helper()
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		r := s.query(t, netw, kubeServiceFQDN, dns.TypeA, true)
		if r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
			continue
		}
		if a, ok := r.Answer[0].(*dns.A); ok && a.A.String() == kubeServiceIP {
			return r
		}
		t.Fatalf("%s: %s A: %v, want only %s", netw, kubeServiceFQDN, r, kubeServiceIP)
	}
	return nil
}

// checkGSLBZone asks a ConfigMap Corefile's gslb zone for its record over
// UDP and TCP: it answers with a member of the ConfigMap's pools.
func checkGSLBZone(t *testing.T, s *server) {
	t.Helper()
	gslbAddr := s.Addr
	for _, b := range s.Blocks {
		if strings.HasPrefix(b.Keys[0], "gslb.example.com") {
			gslbAddr = keyAddr(b.Keys[0])
		}
	}
	for _, netw := range []string{"udp", "tcp"} {
		r := s.at(gslbAddr).query(t, netw, "app.gslb.example.com.", dns.TypeA, true)
		if r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 {
			t.Fatalf("%s: app.gslb.example.com A: %v", netw, r)
		}
		if ip := r.Answer[0].(*dns.A).A; !documentation(ip) {
			t.Errorf("%s: answered %s, want a member of the ConfigMap's pools", netw, ip)
		}
	}
}
