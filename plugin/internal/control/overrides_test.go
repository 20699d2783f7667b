package control

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/policy"
)

// twoPools is a stanza with pools eu (an IPv4 and an IPv6 member) and us.
func twoPools() *config.Config {
	cfg := config.New([]string{"gslb.test."})
	eu, us := config.NewPool("eu"), config.NewPool("us")
	eu.Members = []policy.Member{{Addr: netip.MustParseAddr("192.0.2.10"), Weight: 1}, {Addr: netip.MustParseAddr("2001:db8::10"), Weight: 1}}
	us.Members = []policy.Member{{Addr: netip.MustParseAddr("198.51.100.10"), Weight: 1}}
	cfg.Pools = []policy.Pool{eu, us}
	rec := config.NewRecord()
	rec.Names, rec.Pools = []string{"app.gslb.test."}, []string{"eu", "us"}
	cfg.Records = []policy.Record{rec}
	return cfg
}

func TestOverrideUnknownTargets(t *testing.T) {
	for _, line := range []string{"drain asia", "down eu/192.0.2.99"} {
		cfg := twoPools()
		cfg.Override = filepath.Join(t.TempDir(), "overrides")
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		err = c.loadOverrides([]byte(line))
		if err == nil {
			t.Errorf("%q: accepted, want an error naming the line", line)
		} else if !strings.Contains(err.Error(), cfg.Override+":1: ") {
			t.Errorf("%q: error %q does not name %s:1", line, err, cfg.Override)
		}
	}
}

// Overrides act by position, in the order of the file, over the probes'
// verdicts: a forced state replaces the verdict and its factor, a drain
// keeps them.
func TestOverridesApplyByPosition(t *testing.T) {
	cfg := twoPools()
	entries := "down eu/2001:db8::10\ndrain us\nup eu/192.0.2.10\nweight eu 3\n"
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Override = "overrides"
	if err := c.loadOverrides([]byte(entries)); err != nil {
		t.Fatal(err)
	}
	h := policy.NewHealth(cfg.Pools)
	*h.Member(0, 0) = policy.State{Reason: "connection refused"} // down by its probe
	*h.Member(1, 0) = policy.State{Up: true, Factor: 0.5}        // slow
	c.Load().Overrides.apply(h)
	want := map[[2]int]policy.State{
		{0, 0}: {Up: true, Factor: 1, Forced: policy.ForcedUp},
		{0, 1}: {Forced: policy.ForcedDown, Factor: 1, Reason: "forced down by the override file"},
		{1, 0}: {Up: true, Factor: 0.5, Drained: true},
	}
	for pos, w := range want {
		if got := h.At(pos[0], pos[1]); got != w {
			t.Errorf("pool %d member %d: %+v, want %+v", pos[0], pos[1], got, w)
		}
	}
	if h.Weight(0) != 3 || h.Weight(1) != 1 {
		t.Errorf("weights %d, %d; want 3 (overridden), 1", h.Weight(0), h.Weight(1))
	}
}
