package control

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/internal/etcdtest"
	"github.com/gslb/gslb/internal/kubetest"
	"github.com/gslb/gslb/internal/poll"
	"github.com/gslb/gslb/kube"
)

// A discovered member is voted on in the fleet as a configured one is: its
// own vote appears in the store under its name, and when its Service's
// address changes, the vote of the member that left goes and the new
// member's comes, through the ballot the new members take over.
func TestDiscoveredMembersInTheFleet(t *testing.T) {
	c := kubetest.Start(t)
	etcd := etcdtest.Start(t)
	kubetest.LBService(t, c.Client, "shop", "web", metav1.ObjectMeta{}, "127.0.0.71")
	kubetest.Endpoints(t, c.Client, "shop", "web", true)

	cfg := twoPools()
	st := &config.Store{Config: fleet.NewConfig([]string{etcd.Endpoint()}, "self")}
	st.Lease, st.Timeout = 3*time.Second, time.Second
	cfg.Store = st
	chk := healthcheck.NewCheck("tcp", healthcheck.TCP)
	chk.Interval, chk.Rise, chk.Fall, chk.Port = 100*time.Millisecond, 1, 1, closedPortNumber(t)
	cfg.Checks = []healthcheck.Check{chk}
	cfg.Pools[1].Checks = []string{"tcp"}
	cfg.Pools[1].Members[0].Probe = closedPort(t)
	cluster := kube.Cluster{Name: "eu", Kubeconfig: c.Kubeconfig, Context: "kubetest"}
	cfg.Discovery = []config.Discovery{{Pool: 1, Source: kube.Source{Cluster: cluster, Kind: kube.Service, Namespace: "shop", Name: "web"}}}
	ctl := started(t, cfg)

	vote := func(member string) string {
		ctl.mu.Lock()
		b := ctl.m.ballot
		ctl.mu.Unlock()
		for _, v := range b.VotesOf([]string{fleet.MemberKey("gslb.test.", "us", member)})[0] {
			if v.Observer == "self" {
				return v.State.String()
			}
		}
		return ""
	}
	poll.Until(t, "self's vote on the discovered member: down (its port is closed)", 10*time.Second, func() bool { return vote("127.0.0.71") == "down" })

	kubetest.SetLBStatus(t, c.Client, "shop", "web", "127.0.0.72")
	poll.Until(t, "the new member's vote in, the old one's gone", 10*time.Second, func() bool {
		return vote("127.0.0.72") == "down" && vote("127.0.0.71") == ""
	})
	if s := ctl.Load(); len(s.Pools[1].Members) != 2 || s.Origin(1, 1) != "service shop/web" {
		t.Errorf("pool us: members %v from %q, want the configured one and 127.0.0.72 from service shop/web", s.Pools[1].Members, s.Origin(1, 1))
	}
}

// An override may name a member a pool has not discovered yet: it applies
// once the member comes. In a pool without discovery it is refused.
func TestOverridesOfMembersYetToCome(t *testing.T) {
	cfg := twoPools()
	cfg.Discovery = []config.Discovery{{Pool: 1, Source: kube.Source{Kind: kube.Service, Namespace: "shop", Name: "web"}}}
	if _, err := newOverrides("file", cfg, cfg.Pools, mustEntries(t, "down us/127.0.0.99\n")); err != nil {
		t.Errorf("an override of a member the pool may discover: %v", err)
	}
	_, err := newOverrides("file", cfg, cfg.Pools, mustEntries(t, "down eu/127.0.0.99\n"))
	if err == nil || !strings.Contains(err.Error(), `pool "eu" has no member 127.0.0.99`) {
		t.Errorf("an override of an unknown member of a static pool: %v", err)
	}
}
