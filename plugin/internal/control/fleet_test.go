package control

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/internal/etcdtest"
	"github.com/gslb/gslb/internal/poll"
	"github.com/gslb/gslb/override"
	"github.com/gslb/gslb/plugin/internal/metrics"
)

// inFleet is a controller of twoPools in etcd's fleet as observer "self",
// its eu member 192.0.2.10 probed over TCP at a closed loopback port: its
// own verdict is down.
func inFleet(t *testing.T, etcd *etcdtest.Server) *Controller {
	t.Helper()
	cfg := twoPools()
	st := &config.Store{Config: fleet.NewConfig([]string{etcd.Endpoint()}, "self")}
	st.Lease, st.Timeout = 3*time.Second, time.Second
	cfg.Store = st
	chk := healthcheck.NewCheck("tcp", healthcheck.TCP)
	chk.Interval, chk.Rise, chk.Fall = 100*time.Millisecond, 1, 1
	cfg.Checks = []healthcheck.Check{chk}
	cfg.Pools[0].Checks = []string{"tcp"}
	cfg.Pools[0].Members[0].Probe = closedPort(t)
	cfg.Pools[0].Members[1].Probe = closedPort(t)
	return started(t, cfg)
}

// started compiles cfg and starts it with probers and a fleet registry of
// its own, stopped when the test ends.
func started(t testing.TB, cfg *config.Config) *Controller {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(healthcheck.NewRegistry(4), fleet.NewRegistry(0), nil, time.Hour); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// peer is another instance's vote on both eu members.
func peer(t *testing.T, etcd *etcdtest.Server, name string) *fleet.Ballot {
	cfg := fleet.NewConfig([]string{etcd.Endpoint()}, name)
	cfg.Lease, cfg.Timeout = 3*time.Second, time.Second
	b, err := fleet.NewRegistry(0).Acquire(cfg, nil, []string{fleet.MemberKey("gslb.test.", "eu", "192.0.2.10"), fleet.MemberKey("gslb.test.", "eu", "2001:db8::10")}, func() {})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Release)
	return b
}

func TestFleetVerdictOverrulesTheLocalOne(t *testing.T) {
	etcd := etcdtest.Start(t)
	c := inFleet(t, etcd)
	poll.Until(t, "the local verdict: down", 10*time.Second, func() bool { return !c.Load().Local.At(0, 0).Up })
	a, b := peer(t, etcd, "a"), peer(t, etcd, "b")
	up := []fleet.Vote{{State: fleet.Up, Factor: 1}, {State: fleet.Up, Factor: 0.5}}
	a.Publish(up)
	b.Publish(up)
	poll.Until(t, "two of three see eu up: the fleet keeps it", 10*time.Second, func() bool {
		s := c.Load()
		return s.Health.At(0, 0).Up && s.Health.At(0, 1).Factor == 0.5 && !s.Local.At(0, 0).Up
	})
	b.Publish([]fleet.Vote{{State: fleet.Down, Error: "timeout"}, {State: fleet.Down, Error: "timeout"}})
	poll.Until(t, "two of three see eu down: down", 10*time.Second, func() bool { return !c.Load().Health.At(0, 0).Up })
	if r := c.Load().Health.At(0, 0).Reason; r == "" {
		t.Error("a member down by the fleet's verdict has no reason")
	}
}

func TestFleetOverridesFromTheStore(t *testing.T) {
	etcd := etcdtest.Start(t)
	c := inFleet(t, etcd)
	cli := etcd.Client(t)
	key := fleet.OverridesKey("/gslb/", "gslb.test.")
	put := func(v string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := cli.Put(ctx, key, v); err != nil {
			t.Fatal(err)
		}
	}
	errors := func() float64 {
		return testutil.ToFloat64(metrics.StoreOverrideLoads.WithLabelValues("gslb.test.", "error"))
	}

	start := time.Now()
	put("drain us\n")
	poll.Until(t, "us drained by the store", 5*time.Second, func() bool { return c.Load().Health.At(1, 0).Drained })
	t.Logf("a store override took effect %s after the put", time.Since(start).Round(time.Millisecond))

	for _, bad := range []string{"down us\nup us/198.51.100.10\n", "weight eu 2\nweight eu 3\n", "drain asia\n", "explode us\n"} {
		before := errors()
		put(bad)
		poll.Until(t, "rejected: "+bad, 5*time.Second, func() bool { return errors() == before+1 })
		if !c.Load().Health.At(1, 0).Drained {
			t.Fatalf("after the rejected value %q the drain in force was lifted", bad)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := cli.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "deleting the key lifts the drain", 5*time.Second, func() bool { return !c.Load().Health.At(1, 0).Drained })
}

func TestStoreAndFileOverridesMerge(t *testing.T) {
	etcd := etcdtest.Start(t)
	c := inFleet(t, etcd)
	c.mu.Lock()
	file, err := newOverrides("file", c.cfg, c.cfg.Pools, mustEntries(t, "up eu/192.0.2.10\nweight us 5\n"))
	c.overrides = file
	c.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	cli := etcd.Client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := cli.Put(ctx, fleet.OverridesKey("/gslb/", "gslb.test."), "down eu\nweight us 2\ndrain us\n"); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "both apply, the file last", 5*time.Second, func() bool {
		h := c.Load().Health
		return h.At(1, 0).Drained && h.At(0, 0).Up && !h.At(0, 1).Up && h.Weight(1) == 5
	})
}

func mustEntries(t *testing.T, text string) []override.Entry {
	t.Helper()
	entries, err := override.Parse("file", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// closedPortNumber is a loopback TCP port nothing listens on.
func closedPortNumber(t *testing.T) uint16 {
	_, port, _ := net.SplitHostPort(closedPort(t))
	n, _ := strconv.Atoi(port)
	return uint16(n)
}
