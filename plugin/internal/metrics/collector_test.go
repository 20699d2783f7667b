package metrics

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/policy"
)

// twoPools is a stanza of zone z with pools eu (two members) and us (one),
// and record app answering from eu, then us.
func twoPools(z string) *config.Config {
	cfg := config.New([]string{z})
	eu, us := config.NewPool("eu"), config.NewPool("us")
	eu.Members = []policy.Member{{Addr: netip.MustParseAddr("192.0.2.10"), Weight: 1}, {Addr: netip.MustParseAddr("2001:db8::10"), Weight: 1}}
	us.Members = []policy.Member{{Addr: netip.MustParseAddr("198.51.100.10"), Weight: 1}}
	cfg.Pools = []policy.Pool{eu, us}
	rec := config.NewRecord()
	rec.Names, rec.Pools = []string{"app." + z}, []string{"eu", "us"}
	cfg.Records = []policy.Record{rec}
	return cfg
}

// The gauges are read from the health value by position: verdict, drain,
// forced state and the pool's effective weight.
func TestCollectReadsHealthByPosition(t *testing.T) {
	cfg := twoPools("position.test.")
	h := policy.NewHealth(cfg.Pools)
	*h.Member(0, 1) = policy.State{Forced: policy.ForcedDown, Reason: "forced down"}
	*h.Member(1, 0) = policy.State{Up: true, Factor: 1, Drained: true, Forced: policy.ForcedUp}
	h.SetWeight(0, 3)
	s := New(cfg, func() Health { return healthOf(cfg, h, nil)() }) // reads h at each scrape
	want := `
# HELP coredns_gslb_member_healthy Whether a pool member is answered with (1) or held back by its health checks (0).
# TYPE coredns_gslb_member_healthy gauge
coredns_gslb_member_healthy{member="192.0.2.10",pool="eu",zone="position.test."} 1
coredns_gslb_member_healthy{member="2001:db8::10",pool="eu",zone="position.test."} 0
coredns_gslb_member_healthy{member="198.51.100.10",pool="us",zone="position.test."} 1
# HELP coredns_gslb_member_override 1 for each override in force on a member: drain, down or up (the configured state; member_healthy is the effective one).
# TYPE coredns_gslb_member_override gauge
coredns_gslb_member_override{member="2001:db8::10",override="down",pool="eu",zone="position.test."} 1
coredns_gslb_member_override{member="198.51.100.10",override="drain",pool="us",zone="position.test."} 1
coredns_gslb_member_override{member="198.51.100.10",override="up",pool="us",zone="position.test."} 1
# HELP coredns_gslb_pool_weight A pool's weight under policy weighted, as configured in the Corefile and as in effect with the override file.
# TYPE coredns_gslb_pool_weight gauge
coredns_gslb_pool_weight{pool="eu",source="configured",zone="position.test."} 1
coredns_gslb_pool_weight{pool="eu",source="effective",zone="position.test."} 3
coredns_gslb_pool_weight{pool="us",source="configured",zone="position.test."} 1
coredns_gslb_pool_weight{pool="us",source="effective",zone="position.test."} 1
`
	if err := testutil.CollectAndCompare(NewCollector(s), strings.NewReader(want)); err != nil {
		t.Error(err)
	}
	// A new health value, as a recompile publishes: the next scrape shows it.
	h = policy.NewHealth(cfg.Pools)
	if n := testutil.CollectAndCount(NewCollector(s), "coredns_gslb_member_override"); n != 0 {
		t.Errorf("after a compile without overrides: %d member_override series, want 0", n)
	}
}

// With a fleet store the local verdicts are reported beside the effective
// ones: here the fleet keeps up a member this instance sees down.
func TestCollectLocalBesideEffective(t *testing.T) {
	cfg := twoPools("local.test.")
	effective, local := policy.NewHealth(cfg.Pools), policy.NewHealth(cfg.Pools)
	*local.Member(0, 0) = policy.State{Reason: "connection refused"}
	*effective.Member(1, 0) = policy.State{Up: true, Factor: 0.45}
	effective.Member(1, 0).Signals.Set(policy.SignalErrors, 0.9)
	effective.Member(1, 0).Signals.Set(policy.SignalAgent, 0.5)
	s := New(cfg, healthOf(cfg, effective, local))
	want := `
# HELP coredns_gslb_member_local_healthy With a fleet store: whether this instance's own probes see a pool member up (1) or down (0); member_healthy is the fleet's verdict it answers by.
# TYPE coredns_gslb_member_local_healthy gauge
coredns_gslb_member_local_healthy{member="192.0.2.10",pool="eu",zone="local.test."} 0
coredns_gslb_member_local_healthy{member="2001:db8::10",pool="eu",zone="local.test."} 1
coredns_gslb_member_local_healthy{member="198.51.100.10",pool="us",zone="local.test."} 1
`
	if err := testutil.CollectAndCompare(NewCollector(s), strings.NewReader(want), "coredns_gslb_member_local_healthy"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(NewCollector(s), "coredns_gslb_member_healthy"); n != 3 {
		t.Errorf("%d member_healthy series, want 3", n)
	}
	factors := `
# HELP coredns_gslb_member_weight_factor The factor an up pool member's weight is scaled by, the product of its signals (slow, errors, the backend's word), 0.1 to 1; present only while below 1.
# TYPE coredns_gslb_member_weight_factor gauge
coredns_gslb_member_weight_factor{member="198.51.100.10",pool="us",zone="local.test."} 0.45
`
	factors += `# HELP coredns_gslb_member_signal_factor An up pool member's weight factor by signal (slow, errors, agent, metric), present only while that signal lowers it below 1; member_weight_factor is their product as answered.
# TYPE coredns_gslb_member_signal_factor gauge
coredns_gslb_member_signal_factor{member="198.51.100.10",pool="us",signal="agent",zone="local.test."} 0.5
coredns_gslb_member_signal_factor{member="198.51.100.10",pool="us",signal="errors",zone="local.test."} 0.9
`
	if err := testutil.CollectAndCompare(NewCollector(s), strings.NewReader(factors), "coredns_gslb_member_weight_factor", "coredns_gslb_member_signal_factor"); err != nil {
		t.Errorf("only the member a signal lowers has a factor series: %v", err)
	}
}

// Stanzas of one zone that joined a collector count into the same cells, so
// counters carry over a reload; while both run, the zone is reported once;
// cells nobody holds are forgotten.
func TestJoinSharesCountersAcrossStanzas(t *testing.T) {
	const zone = "shared.test."
	c := NewCollector()
	up := healthOf(twoPools(zone), policy.NewHealth(twoPools(zone).Pools), nil)
	old := New(twoPools(zone), up)
	c.Join(old)
	old.Query(0)
	old.Answer(0, 0, false)

	next := New(twoPools(zone), up) // a reload: the new stanza joins before the old leaves
	c.Join(next)
	next.Query(0)
	next.Answer(0, 1, true)
	if n := testutil.CollectAndCount(c, "coredns_gslb_member_healthy"); n != 3 {
		t.Errorf("two stanzas of one zone: %d member_healthy series, want 3", n)
	}
	c.Leave(old)
	c.Leave(old) // idempotent
	want := `
# HELP coredns_gslb_queries_total Queries for a record's names, any type, by record.
# TYPE coredns_gslb_queries_total counter
coredns_gslb_queries_total{record="app.shared.test.",zone="shared.test."} 2
# HELP coredns_gslb_answers_total Address answers by record and the pool they came from.
# TYPE coredns_gslb_answers_total counter
coredns_gslb_answers_total{pool="eu",record="app.shared.test.",zone="shared.test."} 1
coredns_gslb_answers_total{pool="us",record="app.shared.test.",zone="shared.test."} 1
# HELP coredns_gslb_failovers_total Answers from a pool other than the client's first choice (down, drained, below min_healthy, or all down).
# TYPE coredns_gslb_failovers_total counter
coredns_gslb_failovers_total{record="app.shared.test.",zone="shared.test."} 1
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), "coredns_gslb_queries_total", "coredns_gslb_answers_total", "coredns_gslb_failovers_total"); err != nil {
		t.Error(err)
	}
	if !c.HasCounters(zone, "app."+zone) {
		t.Error("cells of a record in service were forgotten")
	}
	c.Leave(next)
	if c.HasCounters(zone, "app."+zone) {
		t.Error("cells are kept after the last stanza holding them left")
	}
	if n := testutil.CollectAndCount(c); n != 0 {
		t.Errorf("%d series after every stanza left, want 0", n)
	}
}

// A stanza that was set up but never started (a reload that failed further
// on) holds nothing: it counts for nobody, and its leaving releases nothing
// of the stanza in service.
func TestStanzaNeverJoinedHoldsNothing(t *testing.T) {
	const zone = "failed.test."
	c := NewCollector()
	up := healthOf(twoPools(zone), policy.NewHealth(twoPools(zone).Pools), nil)
	serving := New(twoPools(zone), up)
	c.Join(serving)
	serving.Query(0)

	failed := New(twoPools(zone), up)
	failed.Query(0)
	c.Leave(failed)
	if !c.HasCounters(zone, "app."+zone) {
		t.Fatal("a stanza that never joined released the serving stanza's cells")
	}
	want := "\n# HELP coredns_gslb_queries_total Queries for a record's names, any type, by record.\n# TYPE coredns_gslb_queries_total counter\ncoredns_gslb_queries_total{record=\"app.failed.test.\",zone=\"failed.test.\"} 1\n"
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), "coredns_gslb_queries_total"); err != nil {
		t.Error(err)
	}
}

// healthOf is a Stanza's health func over cfg's pools as configured.
func healthOf(cfg *config.Config, effective, local *policy.Health) func() Health {
	names := make([][]string, len(cfg.Pools))
	for pi, p := range cfg.Pools {
		for _, m := range p.Members {
			names[pi] = append(names[pi], m.Name())
		}
	}
	return func() Health { return Health{Pools: cfg.Pools, Names: names, Effective: effective, Local: local} }
}
