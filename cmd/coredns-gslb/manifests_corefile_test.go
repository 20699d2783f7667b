package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// serveConfigMap starts the binary on a manifest set's ConfigMap as its pod
// would, moved to loopback, its members probed at a backend of the test's.
func serveConfigMap(t *testing.T, m *manifests) *server {
	t.Helper()
	return startServer(t, configMapCorefile(t, m))
}

// configMapCorefile is a manifest set's Corefile as serveConfigMap runs it:
// on loopback, its gslb.conf written beside it with the members probed at
// a backend of the test's, and its clusters' APIs at a closed port.
func configMapCorefile(t *testing.T, m *manifests) string {
	t.Helper()
	return configMapCorefileOf(t, m, closedKubeconfig(t, m), func(stanza string) string {
		backend := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		t.Cleanup(backend.Close)
		return probeLoopback(stanza, backend.Listener.Addr().String())
	})
}

// configMapCorefileOf is a manifest set's Corefile on loopback, its
// gslb.conf changed by probes (which points its probes at loopback) and
// reading its clusters through kubeconfig, a file with a context named
// after each of the stanza's kubernetes blocks.
func configMapCorefileOf(t *testing.T, m *manifests, kubeconfig string, probes func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	stanza := kubeconfigAt(probes(m.configMap.Data["gslb.conf"]), kubeconfig)
	if err := os.WriteFile(filepath.Join(dir, "gslb.conf"), []byte(stanza), 0o644); err != nil {
		t.Fatal(err)
	}
	return onLoopback(t, m.configMap.Data["Corefile"], dir)
}

// TestConfigMapCorefilesServe starts each variant's ConfigMap as the pod
// would, with addresses moved to loopback, and asks the gslb zone. The
// cluster DNS variant's kubernetes plugin points at an API that is not
// there: it must not keep the gslb zone from answering.
func TestConfigMapCorefilesServe(t *testing.T) {
	for _, variant := range variants {
		t.Run(variant, func(t *testing.T) {
			t.Parallel()
			s := serveConfigMap(t, loadManifests(t, variant))
			checkGSLBZone(t, s)
		})
	}
}

func documentation(ip net.IP) bool {
	for _, cidr := range []string{"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"} {
		if _, n, _ := net.ParseCIDR(cidr); n.Contains(ip) {
			return true
		}
	}
	return false
}

// probeLoopback points every member's health checks at a loopback backend:
// no test probes beyond loopback.
func probeLoopback(stanza, backend string) string {
	member := regexp.MustCompile(`(?m)^(\s*member \S+)(.*)$`)
	return member.ReplaceAllString(stanza, "${1} probe "+backend+"${2}")
}

// onLoopback rewrites a pod's Corefile to run here: every server block binds
// 127.0.0.1, the health, ready and metrics listeners get free loopback
// ports, the import reads dir, and forward and the Kubernetes API point at
// a closed loopback port.
func onLoopback(t *testing.T, corefile, dir string) string {
	closed := net.JoinHostPort("127.0.0.1", freePort(t))
	replacer := strings.NewReplacer(
		"/etc/coredns/gslb.conf", filepath.Join(dir, "gslb.conf"),
		"health {", "health 127.0.0.1:"+freePort(t)+" {",
		"health :8080", "health 127.0.0.1:"+freePort(t),
		":8181", "127.0.0.1:"+freePort(t),
		":9153", "127.0.0.1:"+freePort(t),
		"forward . /etc/resolv.conf", "forward . "+closed,
	)
	corefile = replacer.Replace(corefile)
	blockStart := regexp.MustCompile(`(?m)^(\S.*\{)\s*$`)
	corefile = blockStart.ReplaceAllString(corefile, "${1}\n    bind 127.0.0.1")
	kubernetes := regexp.MustCompile(`(?m)^(\s*kubernetes [^\n{]*\{)`)
	return kubernetes.ReplaceAllString(corefile, "${1}\n        endpoint http://"+closed)
}
