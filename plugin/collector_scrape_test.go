package plugin

import (
	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/plugin/internal/metrics"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/policy"
)

// scrapeConfig is testConfig under zone, with records app (eu, then us)
// and www (us).
func scrapeConfig(zone string) *config.Config {
	cfg := testConfig()
	cfg.Zones = []string{zone}
	cfg.Records = []policy.Record{
		{Names: []string{"app." + zone}, Pools: []string{"eu", "us"}, Answers: 1},
		{Names: []string{"www." + zone}, Pools: []string{"us"}, Answers: 1},
	}
	return cfg
}

// TestCollectorScrape: one scrape shows up, down and drained members, the
// weights, and the counts of real queries.
func TestCollectorScrape(t *testing.T) {
	g, write := overrideGSLB(t, scrapeConfig("scrape.test."))
	write("down eu/2001:db8::10\ndrain us/198.51.100.10\nweight eu 3\n")
	g.OnStartup()
	defer g.OnShutdown()
	for range 3 {
		serve(t, g, "app.scrape.test.", dns.TypeA) // eu's IPv4 member is up
	}
	serve(t, g, "app.scrape.test.", dns.TypeMX) // a query, no answer
	for range 2 {
		serve(t, g, "www.scrape.test.", dns.TypeA) // us, drained: nothing else is up; a failover
	}
	want := `
# HELP coredns_gslb_member_healthy Whether a pool member is answered with (1) or held back by its health checks (0).
# TYPE coredns_gslb_member_healthy gauge
coredns_gslb_member_healthy{member="192.0.2.10",pool="eu",zone="scrape.test."} 1
coredns_gslb_member_healthy{member="2001:db8::10",pool="eu",zone="scrape.test."} 0
coredns_gslb_member_healthy{member="198.51.100.10",pool="us",zone="scrape.test."} 1
# HELP coredns_gslb_member_override 1 for each override in force on a member: drain, down or up (the configured state; member_healthy is the effective one).
# TYPE coredns_gslb_member_override gauge
coredns_gslb_member_override{member="2001:db8::10",override="down",pool="eu",zone="scrape.test."} 1
coredns_gslb_member_override{member="198.51.100.10",override="drain",pool="us",zone="scrape.test."} 1
# HELP coredns_gslb_pool_weight A pool's weight under policy weighted, as configured in the Corefile and as in effect with the override file.
# TYPE coredns_gslb_pool_weight gauge
coredns_gslb_pool_weight{pool="eu",source="configured",zone="scrape.test."} 1
coredns_gslb_pool_weight{pool="eu",source="effective",zone="scrape.test."} 3
coredns_gslb_pool_weight{pool="us",source="configured",zone="scrape.test."} 1
coredns_gslb_pool_weight{pool="us",source="effective",zone="scrape.test."} 1
# HELP coredns_gslb_queries_total Queries for a record's names, any type, by record.
# TYPE coredns_gslb_queries_total counter
coredns_gslb_queries_total{record="app.scrape.test.",zone="scrape.test."} 4
coredns_gslb_queries_total{record="www.scrape.test.",zone="scrape.test."} 2
# HELP coredns_gslb_answers_total Address answers by record and the pool they came from.
# TYPE coredns_gslb_answers_total counter
coredns_gslb_answers_total{pool="eu",record="app.scrape.test.",zone="scrape.test."} 3
coredns_gslb_answers_total{pool="us",record="www.scrape.test.",zone="scrape.test."} 2
# HELP coredns_gslb_failovers_total Answers from a pool other than the client's first choice (down, drained, below min_healthy, or all down).
# TYPE coredns_gslb_failovers_total counter
coredns_gslb_failovers_total{record="www.scrape.test.",zone="scrape.test."} 2
`
	// A registry of its own: the stanza alone, checked for duplicates.
	c := metrics.NewCollector(g.stats)
	if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

// Counters survive a recompile and a reload, and while a reload runs both
// stanzas the zone is reported once.
func TestCountersSurviveRecompileAndReload(t *testing.T) {
	const zone, app = "survive.test.", "app.survive.test."
	old := newTestGSLB(t, scrapeConfig(zone))
	old.OnStartup()
	serve(t, old, app, dns.TypeA)
	old.control.Refresh() // a new table
	serve(t, old, app, dns.TypeA)
	if n := answers.WithLabelValues(zone, app, "eu").value(); n != 2 {
		t.Errorf("after a recompile: answers_total = %v, want 2", n)
	}

	next := newTestGSLB(t, scrapeConfig(zone))
	next.OnStartup()
	both := prometheus.NewPedanticRegistry()
	both.MustRegister(metrics.NewCollector(old.stats, next.stats))
	if _, err := both.Gather(); err != nil {
		t.Errorf("both stanzas running: %v", err)
	}
	if n := testutil.CollectAndCount(metrics.NewCollector(old.stats, next.stats), "coredns_gslb_member_healthy"); n != 3 {
		t.Errorf("both stanzas running: %d member_healthy series, want 3", n)
	}
	serve(t, next, app, dns.TypeA)
	old.OnShutdown()
	defer next.OnShutdown()
	serve(t, next, app, dns.TypeA)
	if q, a := queries.WithLabelValues(zone, app).value(), answers.WithLabelValues(zone, app, "eu").value(); q != 4 || a != 4 {
		t.Errorf("after a reload: queries_total %v, answers_total %v, want 4 and 4", q, a)
	}
}

// A reload that removes a record and a member takes their series out; the
// record's counters start from zero if it comes back.
func TestReloadRemovesSeries(t *testing.T) {
	const zone, www = "removed.test.", "www.removed.test."
	old := newTestGSLB(t, scrapeConfig(zone))
	old.OnStartup()
	serve(t, old, www, dns.TypeA)
	if n := queries.WithLabelValues(zone, www).value(); n != 1 {
		t.Fatalf("queries_total = %v, want 1", n)
	}

	cfg := scrapeConfig(zone)
	cfg.Records = cfg.Records[:1]
	cfg.Pools[0].Members = []policy.Member{{Addr: netip.MustParseAddr("192.0.2.10"), Weight: 1}}
	next := newTestGSLB(t, cfg)
	next.OnStartup()
	old.OnShutdown()
	for name, s := range map[string]series{
		"queries_total":  queries.WithLabelValues(zone, www),
		"answers_total":  answers.WithLabelValues(zone, www, "us"),
		"member_healthy": memberHealthy.WithLabelValues(zone, "eu", "2001:db8::10"),
	} {
		if n := testutil.CollectAndCount(s); n != 0 {
			t.Errorf("%s: %d series of what the reload removed", name, n)
		}
	}
	if metrics.Process.HasCounters(zone, www) {
		t.Error("the removed record's counter cells are kept")
	}

	back := newTestGSLB(t, scrapeConfig(zone))
	back.OnStartup()
	next.OnShutdown()
	defer back.OnShutdown()
	serve(t, back, www, dns.TypeA)
	if n := queries.WithLabelValues(zone, www).value(); n != 1 {
		t.Errorf("the record back: queries_total = %v, want 1 (from zero)", n)
	}
}

// BenchmarkCollect scrapes one stanza of 10,000 records, each with a pool
// of four members: 40,000 member series.
func BenchmarkCollect(b *testing.B) {
	cfg := config.New([]string{"scale.test."})
	for i := range 10000 {
		pool := policy.Pool{Name: "p" + strconv.Itoa(i), Weight: 1, MinHealthy: 1}
		for j := range 4 {
			addr := netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), byte(j)})
			if j >= 2 {
				addr = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 12: byte(i >> 8), 13: byte(i), 15: byte(j)})
			}
			pool.Members = append(pool.Members, policy.Member{Addr: addr, Weight: 1})
		}
		cfg.Pools = append(cfg.Pools, pool)
		cfg.Records = append(cfg.Records, policy.Record{Names: []string{"app" + strconv.Itoa(i) + ".scale.test."}, Pools: []string{pool.Name}, Answers: 1})
	}
	g, err := New(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	g.control.Refresh()
	c := metrics.NewCollector(g.stats)
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reg.Gather(); err != nil {
			b.Fatal(err)
		}
	}
}
