package main

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/kubetest"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// kubeReloadCorefile: pool eu's members are the Services of namespace shop
// labelled app=web, probed at %[3]s; the test adds records at the marker.
const kubeReloadCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    reload 2s
    gslb {
        kubernetes eu {
            kubeconfig %[1]s kubetest
        }
        check web {
            http %[2]s /
            interval 200ms
            timeout 100ms
            rise 2
            fall 2
        }
        pool eu {
            service shop app=web
            check web
        }
        record app {
            pools eu
            answers 8
            ttl 30
        }
        # more records
    }
}
`

// TestKubeMembersAcrossReload reloads a configuration whose pool follows
// Services: the new configuration joins the watches and probes of the old
// (shared by the process, as probers are), so its first answers already
// have the members, and a member found down stays down, with no query
// answered otherwise in between.
func TestKubeMembersAcrossReload(t *testing.T) {
	c := kubetest.Start(t)
	sites := newSiteBackends(t, "127.0.0.51", "127.0.0.52")
	sites.kill("127.0.0.52") // its Service is up, its backend is not
	web := map[string]string{"app": "web"}
	for name, addr := range map[string]string{"web-a": "127.0.0.51", "web-b": "127.0.0.52"} {
		kubetest.LBService(t, c.Client, "shop", name, metav1.ObjectMeta{Labels: web}, addr)
		kubetest.Endpoints(t, c.Client, "shop", name, true)
	}
	s := startServer(t, fmt.Sprintf(kubeReloadCorefile, c.Kubeconfig, sites.port))
	path := s.corefilePath(t)
	base, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "NOERROR 127.0.0.51/15" // its pool degraded: half the TTL
	s.pollUntil(t, "app.gslb.test.", time.Now(), 5*time.Second, want, "NOERROR 127.0.0.51/30 127.0.0.52/30")

	loop := s.keepAsking(t, "app.gslb.test.", want)
	reloaded := time.Now()
	rewriteCorefile(t, path, string(base), "        record added {\n            pools eu\n            ttl 30\n        }\n")
	took := s.pollUntil(t, "added.gslb.test.", reloaded, 15*time.Second, want, "NXDOMAIN")
	t.Logf("the reloaded configuration answered %v after the rewrite", took.Round(time.Millisecond))
	time.Sleep(500 * time.Millisecond) // the old configuration's shutdown, under the loop
	a := loop()
	for _, err := range a.errs {
		t.Error(err)
	}
	if a.n < 100 {
		t.Errorf("only %d queries asked across the reload", a.n)
	}
}
