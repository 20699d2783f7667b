package control

import (
	"fmt"
	"github.com/gslb/gslb/internal/poll"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// tcpBackends are loopback listeners that accept and close, one per member.
func tcpBackends(t *testing.T, n int) []net.Listener {
	ls := make([]net.Listener, n)
	for i := range ls {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		t.Cleanup(func() { l.Close() })
		ls[i] = l
	}
	return ls
}

// onePoolPerBackend has record r<i> served by pool p<i> alone, whose one
// member is probed on backend i: record i is all down iff backend i is.
func onePoolPerBackend(backends []net.Listener) *config.Config {
	check := healthcheck.NewCheck("tcp", healthcheck.TCP)
	check.Interval, check.Timeout, check.Rise, check.Fall = 50*time.Millisecond, 45*time.Millisecond, 1, 1
	cfg := config.New([]string{"gslb.test."})
	cfg.Checks = []healthcheck.Check{check}
	for i, l := range backends {
		member := policy.Member{Addr: netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)}), Weight: 1, Probe: l.Addr().String()}
		pool := fmt.Sprintf("p%d", i)
		cfg.Pools = append(cfg.Pools, policy.Pool{Name: pool, Weight: 1, MinHealthy: 1, Checks: []string{"tcp"}, Members: []policy.Member{member}})
		cfg.Records = append(cfg.Records, policy.Record{Names: []string{fmt.Sprintf("r%d.gslb.test.", i)}, Pools: []string{pool}, Answers: 1})
	}
	return cfg
}

// downs waits until the lease sees the backends in want down, the others up.
func downs(t *testing.T, lease *healthcheck.Lease, want func(i int) bool, n int) {
	t.Helper()
	poll.Until(t, "probers see the backends' states", 5*time.Second, func() bool {
		for i := range n {
			if s := lease.StatusAt(i).State; s != healthcheck.Up && s != healthcheck.Down || (s == healthcheck.Down) != want(i) {
				return false
			}
		}
		return true
	})
}

// tableShows waits until the table in service has record i all down iff want(i).
func tableShows(t *testing.T, c *Controller, want func(i int) bool, n int) {
	t.Helper()
	poll.Until(t, "the table follows health", 5*time.Second, func() bool {
		table := c.Load().Table
		for i := range n {
			if table.AllDown(i) != want(i) {
				return false
			}
		}
		return true
	})
}

func even(i int) bool { return i%2 == 0 }
func none(int) bool   { return false }
func all(int) bool    { return true }

// Many targets going down while a compile runs cost two compiles, not one
// each; the probers keep probing meanwhile, and the table ends up showing
// the final health.
func TestHealthChangesCoalesce(t *testing.T) {
	const n = 64
	backends := tcpBackends(t, n)
	g := newController(t, onePoolPerBackend(backends))
	g.Start(healthcheck.NewRegistry(n), nil, nil, DefaultOverridePoll)
	defer g.Stop()
	lease := g.m.lease
	downs(t, lease, none, n)
	tableShows(t, g, none, n)
	t.Logf("start: %d compiles for %d targets coming up", g.compiles.Load(), n)

	// Holding mu is a compile that takes as long as the test wants: the
	// refresher, woken by the first change, waits for it.
	g.mu.Lock()
	before := g.compiles.Load()
	for i := 0; i < n; i += 2 {
		backends[i].Close()
	}
	downs(t, lease, even, n) // probers are not held up by the compile
	g.mu.Unlock()
	tableShows(t, g, even, n)
	time.Sleep(4 * 50 * time.Millisecond) // a few intervals for any straggling compile
	got := g.compiles.Load() - before
	if got > 2 {
		t.Fatalf("%d compiles for %d targets going down during one compile, want at most 2", got, n/2)
	}
	t.Logf("%d compiles for %d targets going down during one compile", got, n/2)
}

// After OnShutdown returns no compile runs, even while the probers it
// shared with the next instance report changes; and it does not deadlock
// with a refresh waiting to compile.
func TestNoRefreshAfterShutdown(t *testing.T) {
	const n = 16
	backends := tcpBackends(t, n)
	registry := healthcheck.NewRegistry(n)
	old := newController(t, onePoolPerBackend(backends))
	old.Start(registry, nil, nil, DefaultOverridePoll)
	downs(t, old.m.lease, none, n)
	next := newController(t, onePoolPerBackend(backends)) // a reload
	next.Start(registry, nil, nil, DefaultOverridePoll)
	defer next.Stop()
	refresher := old.refresher

	old.mu.Lock() // a compile in progress while changes arrive and shutdown starts
	for i := 0; i < n; i += 2 {
		backends[i].Close()
	}
	downs(t, next.m.lease, even, n)
	shutDown := make(chan struct{})
	go func() { old.Stop(); close(shutDown) }()
	time.Sleep(20 * time.Millisecond)
	old.mu.Unlock()
	select {
	case <-shutDown:
	case <-time.After(5 * time.Second):
		t.Fatal("OnShutdown did not return: deadlock with the refresher")
	}
	select {
	case <-refresher.done:
	default:
		t.Fatal("refresher still running after OnShutdown")
	}

	compiles, table := old.compiles.Load(), old.Load().Table
	for i := 1; i < n; i += 2 {
		backends[i].Close()
	}
	tableShows(t, next, all, n)
	time.Sleep(4 * 50 * time.Millisecond)
	if old.compiles.Load() != compiles || old.Load().Table != table {
		t.Fatalf("compiles after OnShutdown: %d → %d, table replaced %t; want none", compiles, old.compiles.Load(), old.Load().Table != table)
	}
}

func newController(t *testing.T, cfg *config.Config) *Controller {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
