package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/internal/kubetest"
)

// kubeMembersCorefile takes pool eu's members from the LoadBalancer
// Services of namespace shop labelled app=web, probed at the backends'
// port; standby answers when eu has none.
const kubeMembersCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    prometheus 127.0.0.1:%[4]s
    gslb {
        resolver %[1]s
        kubernetes eu {
            kubeconfig %[2]s kubetest
        }
        status 127.0.0.1:%[5]s
        check web {
            http %[3]s /
            interval 250ms
            timeout 200ms
            fall 1
        }
        pool eu {
            service shop app=web
            check web
        }
        pool standby {
            member 192.0.2.10
        }
        record app {
            pools eu standby
            answers 8
            ttl 1
        }
    }
}
`

// TestKubeMembersFollowServices runs the binary against a real API server
// and moves a pool's Services under it: members come and go with the
// Services' load balancer status, IPv4 and IPv6, host names resolved in
// the background, a NAT annotation's public address instead of the
// status; the pool's check probes each of them; a Service whose
// EndpointSlices lose their ready endpoints is held back within one
// interval, and comes back with them; a pool whose Services are all gone
// fails over.
func TestKubeMembersFollowServices(t *testing.T) {
	c := kubetest.Start(t)
	resolver := newMemberDNS(t)
	resolver.set("lb-c.shop.test", "127.0.0.24")
	sites := newSiteBackends(t, "127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.24", "127.0.0.25", "::1")
	web := map[string]string{"app": "web"}

	// Before the server starts: the first answers have the members.
	kubetest.LBService(t, c.Client, "shop", "web-a", metav1.ObjectMeta{Labels: web}, "127.0.0.21", "::1")
	kubetest.Endpoints(t, c.Client, "shop", "web-a", true)
	metrics, statusPort := freePort(t), freePort(t)
	s := startServer(t, fmt.Sprintf(kubeMembersCorefile, resolver.addr, c.Kubeconfig, sites.port, metrics, statusPort))
	if got := answerSet(t, s, "app.gslb.test.", dns.TypeA, ""); strings.Join(got, " ") != "127.0.0.21" {
		t.Fatalf("first answer %v, want the Service's address at once", got)
	}
	waitAnswers(t, s, "app.gslb.test.", dns.TypeAAAA, "", 5*time.Second, "::1")

	// The load balancer gains an address; a second Service joins, behind
	// NAT (its annotation's address, not its status's, is answered and
	// probed); a third has a cloud load balancer's host name.
	kubetest.SetLBStatus(t, c.Client, "shop", "web-a", "127.0.0.21", "127.0.0.22", "::1")
	kubetest.LBService(t, c.Client, "shop", "web-b", metav1.ObjectMeta{Labels: web, Annotations: map[string]string{"gslb.io/public-address": "127.0.0.23"}}, "10.0.0.1")
	kubetest.Endpoints(t, c.Client, "shop", "web-b", true)
	kubetest.LBService(t, c.Client, "shop", "web-c", metav1.ObjectMeta{Labels: web}, "lb-c.shop.test")
	kubetest.Endpoints(t, c.Client, "shop", "web-c", true)
	kubetest.LBService(t, c.Client, "shop", "other", metav1.ObjectMeta{Labels: map[string]string{"app": "other"}}, "127.0.0.25") // not selected
	waitAnswers(t, s, "app.gslb.test.", dns.TypeA, "", 10*time.Second, "127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.24")

	// The status page names the object each member came from.
	rep := statusClient{base: "http://127.0.0.1:" + statusPort}.report(t)
	if from := memberFrom(rep, "eu", "127.0.0.23"); from != "service shop/web-b" {
		t.Errorf("status: member 127.0.0.23 from %q, want service shop/web-b", from)
	}

	// A discovered member is probed like any other: its backend gone, it
	// leaves; the others keep their state.
	sites.kill("127.0.0.22")
	waitAnswers(t, s, "app.gslb.test.", dns.TypeA, "", 5*time.Second, "127.0.0.21", "127.0.0.23", "127.0.0.24")
	// A Service joining rebuilds the members: the down one stays down, its
	// probe state carried over, never answered again in between.
	kubetest.Endpoints(t, c.Client, "shop", "other", true)
	relabel(t, c.Client, "shop", "other", web)
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if got := answerSet(t, s, "app.gslb.test.", dns.TypeA, ""); slices.Contains(got, "127.0.0.22") {
			t.Fatalf("the down member was answered again after the members changed: %v", got)
		}
	}
	waitAnswers(t, s, "app.gslb.test.", dns.TypeA, "", 5*time.Second, "127.0.0.21", "127.0.0.23", "127.0.0.24", "127.0.0.25")

	// web-a scaled to zero: its EndpointSlice has no ready endpoint, and
	// its addresses leave within one interval, whatever their probes say.
	kubetest.Endpoints(t, c.Client, "shop", "web-a", false)
	took := waitAnswers(t, s, "app.gslb.test.", dns.TypeA, "", 5*time.Second, "127.0.0.23", "127.0.0.24", "127.0.0.25")
	t.Logf("held back %v after its endpoints stopped being ready", took)
	if st := memberState(rep, "eu", "127.0.0.21"); st != "up" {
		t.Errorf("before: member 127.0.0.21 %q", st)
	}
	rep = statusClient{base: "http://127.0.0.1:" + statusPort}.report(t)
	for _, m := range []string{"127.0.0.21", "::1"} { // ::1 is still answered: no pool has an IPv6 member up, and on_all_down is all
		if why := memberReason(rep, "eu", m); !strings.Contains(why, "service shop/web-a has no ready endpoint") {
			t.Errorf("status: %s held back for %q", m, why)
		}
	}
	kubetest.Endpoints(t, c.Client, "shop", "web-a", true)
	waitAnswers(t, s, "app.gslb.test.", dns.TypeA, "", 5*time.Second, "127.0.0.21", "127.0.0.23", "127.0.0.24", "127.0.0.25")

	// Every selected Service gone: the pool is empty and the record fails
	// over to standby.
	for _, name := range []string{"web-a", "web-b", "web-c", "other"} {
		if err := c.Client.CoreV1().Services("shop").Delete(context.Background(), name, metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	waitAnswers(t, s, "app.gslb.test.", dns.TypeA, "", 5*time.Second, "192.0.2.10")
	if out := s.out.String(); !strings.Contains(out, "members found") || !strings.Contains(out, "members gone") {
		t.Errorf("the log does not say which members came and went:\n%s", out)
	}
}
