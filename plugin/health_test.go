package plugin

import (
	"fmt"
	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/internal/poll"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// backend is an HTTP health endpoint on loopback whose verdict the test flips.
type backend struct {
	srv     *httptest.Server
	healthy atomic.Bool
}

func newBackend(t *testing.T) *backend {
	b := &backend{}
	b.healthy.Store(true)
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !b.healthy.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *backend) port(t *testing.T) uint16 {
	_, port, _ := net.SplitHostPort(b.srv.Listener.Addr().String())
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return uint16(n)
}

// healthConfig has two pools whose members are probed on two backends:
// 127.0.0.2 is eu's member, probed via the eu backend; us's via the us one.
func healthConfig(t *testing.T, eu, us *backend) *config.Config {
	check := healthcheck.NewCheck("web", healthcheck.HTTP)
	check.Path, check.Port = "/healthz", eu.port(t)
	check.Expect = []healthcheck.StatusRange{{Low: 200, High: 299}}
	check.Interval, check.Timeout, check.Rise, check.Fall = 50*time.Millisecond, 40*time.Millisecond, 1, 1
	cfg := config.New([]string{"gslb.test."})
	cfg.Checks = []healthcheck.Check{check}
	cfg.Pools = []policy.Pool{
		{Name: "eu", Weight: 1, MinHealthy: 1, Checks: []string{"web"}, Members: []policy.Member{
			{Addr: netip.MustParseAddr("192.0.2.10"), Weight: 1, Probe: eu.srv.Listener.Addr().String()},
		}},
		{Name: "us", Weight: 1, MinHealthy: 1, Checks: []string{"web"}, Members: []policy.Member{
			{Addr: netip.MustParseAddr("198.51.100.10"), Weight: 1, Probe: us.srv.Listener.Addr().String()},
		}},
	}
	cfg.Records = []policy.Record{{Names: []string{"app.gslb.test."}, Pools: []string{"eu", "us"}, Answers: 1}}
	return cfg
}

func answer(t *testing.T, g *GSLB) (string, uint32) {
	m := serve(t, g, "app.gslb.test.", dns.TypeA)
	if len(m.Answer) != 1 {
		t.Fatalf("answer %v, want one A", m.Answer)
	}
	return m.Answer[0].(*dns.A).A.String(), m.Answer[0].Header().Ttl
}

func TestAnswersFollowHealth(t *testing.T) {
	eu, us := newBackend(t), newBackend(t)
	g := newTestGSLB(t, healthConfig(t, eu, us))
	g.registry = healthcheck.NewRegistry(4)
	if g.Ready() {
		t.Fatal("ready before OnStartup")
	}
	if err := g.OnStartup(); err != nil {
		t.Fatal(err)
	}
	defer g.OnShutdown()
	poll.Until(t, "ready after the first probe round", time.Second, g.Ready)

	if ip, ttl := answer(t, g); ip != "192.0.2.10" || ttl != config.DefaultTTL {
		t.Fatalf("healthy: %s TTL %d, want 192.0.2.10 TTL %d", ip, ttl, config.DefaultTTL)
	}
	eu.healthy.Store(false)
	poll.Until(t, "failover to us", time.Second, func() bool { ip, _ := answer(t, g); return ip == "198.51.100.10" })
	if _, ttl := answer(t, g); ttl != config.DefaultTTL/2 {
		t.Errorf("failover answer TTL %d, want half the record's, %d", ttl, config.DefaultTTL/2)
	}
	eu.healthy.Store(true)
	poll.Until(t, "back to eu", time.Second, func() bool { ip, _ := answer(t, g); return ip == "192.0.2.10" })
}

func TestReloadKeepsHealth(t *testing.T) {
	eu, us := newBackend(t), newBackend(t)
	registry := healthcheck.NewRegistry(4)
	eu.healthy.Store(false)
	old := newTestGSLB(t, healthConfig(t, eu, us))
	old.registry = registry
	old.OnStartup()
	poll.Until(t, "eu down", time.Second, func() bool { ip, _ := answer(t, old); return ip == "198.51.100.10" })

	// A reload: the new instance starts before the old one shuts down.
	next := newTestGSLB(t, healthConfig(t, eu, us))
	next.registry = registry
	next.OnStartup()
	old.OnShutdown()
	defer next.OnShutdown()
	if ip, _ := answer(t, next); ip != "198.51.100.10" {
		t.Fatalf("right after reload: %s, want the state carried over (eu down, us answers)", ip)
	}
	poll.Until(t, "reloaded instance ready", time.Second, next.Ready)
}

func TestReloadsLeakNoGoroutine(t *testing.T) {
	eu, us := newBackend(t), newBackend(t)
	registry := healthcheck.NewRegistry(4)
	current := newTestGSLB(t, healthConfig(t, eu, us))
	current.registry = registry
	current.OnStartup()
	poll.Until(t, "ready", time.Second, current.Ready)
	baseline := runtime.NumGoroutine()
	for range 30 {
		next := newTestGSLB(t, healthConfig(t, eu, us))
		next.registry = registry
		next.OnStartup()
		current.OnShutdown()
		current = next
	}
	poll.Until(t, fmt.Sprintf("goroutines back to %d after 30 reloads", baseline), 2*time.Second, func() bool {
		return runtime.NumGoroutine() <= baseline
	})
	current.OnShutdown()
}

// A dead backend leaves the answers at its first failed probe, long before
// fall failures give it a verdict.
func TestFirstFailedProbeHoldsMemberBack(t *testing.T) {
	eu, us := newBackend(t), newBackend(t)
	cfg := healthConfig(t, eu, us)
	cfg.Checks[0].Fall, cfg.Checks[0].Interval, cfg.Checks[0].Timeout = 100, time.Second, 500*time.Millisecond
	eu.srv.Close()                                               // refused from the start
	cfg.Pools[1].Checks, cfg.Pools[1].Members[0].Probe = nil, "" // no other state change to hide behind
	g := newTestGSLB(t, cfg)
	g.registry = healthcheck.NewRegistry(4)
	g.OnStartup()
	defer g.OnShutdown()
	poll.Until(t, "first probe round", 3*time.Second, g.Ready)
	poll.Until(t, "eu held back after one refused probe", time.Second, func() bool { ip, _ := answer(t, g); return ip == "198.51.100.10" })
}
