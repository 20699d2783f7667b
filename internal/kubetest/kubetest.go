// Package kubetest runs a real kube-apiserver for tests, on loopback, over an
// etcd of its own (internal/etcdtest), so the plugin's Kubernetes code is
// tested against the server it meets in a cluster. No controller runs: a test
// writes what they would (LoadBalancer status, EndpointSlices) itself.
//
// The binary is built by .ci/kube-apiserver.sh into a cache outside the
// clone; a test that finds it missing fails, naming the script, rather than
// skipping, so a machine without it cannot pass by testing less.
package kubetest

import (
	"os"
	"path/filepath"
	"testing"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/gslb/gslb/internal/certtest"
	"github.com/gslb/gslb/internal/etcdtest"
)

// Version is the kube-apiserver release .ci/kube-apiserver.sh builds; the
// two must agree, as the cache path is keyed by it.
const Version = "1.37.2"

// adminToken authenticates the admin user, of group system:masters, which
// RBAC lets do anything without a binding.
const adminToken = "kubetest-admin-token"

// Cluster is one API server with its own etcd: a test's "cluster".
type Cluster struct {
	// Config is the admin's client configuration.
	Config *rest.Config
	// Client is a clientset of Config.
	Client kubernetes.Interface
	// Kubeconfig is a kubeconfig file for the admin, as the plugin reads.
	Kubeconfig string
	// CAFile is the server's certificate, which is its own CA.
	CAFile string

	host string // https://127.0.0.1:PORT
	dir  string

	// How to start the server again (Restart) and the running one (Stop).
	bin, etcdURL string
	port         int
	proc         *os.Process   // nil while stopped
	exited       chan struct{} // closed when proc has exited
}

// Binary is where .ci/kube-apiserver.sh leaves the API server:
// ${GSLB_CACHE:-$HOME/.cache/gslb}/kube-apiserver-VERSION/kube-apiserver.
func Binary() string {
	cache := os.Getenv("GSLB_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "gslb")
	}
	return filepath.Join(cache, "kube-apiserver-"+Version, "kube-apiserver")
}

// Start runs etcd and a kube-apiserver for the test, waits until the
// server is ready, and stops both when the test ends.
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin := Binary()
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("kube-apiserver v%s not found at %s (%v): run .ci/kube-apiserver.sh, which builds it there (.ci/run does)", Version, bin, err)
	}
	c := &Cluster{dir: t.TempDir()}
	etcd := etcdtest.Start(t)
	c.CAFile, _ = certtest.Files(t, c.dir, "serving")
	c.startServer(t, bin, etcd.Endpoint())
	c.Config = c.config(&rest.Config{BearerToken: adminToken})
	var err error
	if c.Client, err = kubernetes.NewForConfig(c.Config); err != nil {
		t.Fatal(err)
	}
	c.Kubeconfig = filepath.Join(c.dir, "admin.kubeconfig")
	writeKubeconfig(t, c.Kubeconfig, c.Config)
	return c
}

// config completes cfg (its credentials) with the server's address and CA.
func (c *Cluster) config(cfg *rest.Config) *rest.Config {
	cfg.Host = c.host
	cfg.TLSClientConfig.CAFile = c.CAFile
	// The defaults (5 queries a second) would throttle a test's bursts of
	// writes against a server that serves only it.
	cfg.QPS, cfg.Burst = 1000, 1000
	return cfg
}
