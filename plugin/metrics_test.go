package plugin

import (
	"github.com/gslb/gslb/plugin/internal/metrics"
	"net/netip"
	"strings"
	"testing"

	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/policy"
)

// TestMetricsLint runs promlint over every collector of the plugin once
// each has a series.
func TestMetricsLint(t *testing.T) {
	cfg := testConfig()
	cfg.Zones = []string{"lint.test."}
	cfg.Records = []policy.Record{{Names: []string{"app.lint.test."}, Pools: []string{"eu", "us"}, Answers: 1}}
	g, write := overrideGSLB(t, cfg)
	write("drain eu\n") // a member_override series, and a failover
	g.OnStartup()
	defer g.OnShutdown()
	serve(t, g, "app.lint.test.", dns.TypeA)
	serveECS(t, g, &test.ResponseWriter{}, "app.lint.test.", dns.TypeA, subnet(1, "192.0.2.0", 24))
	serveMsg(t, g, &test.ResponseWriter{}, ecsMsg("app.lint.test.", dns.TypeA, subnet(1, "192.0.2.1", 24))) // FORMERR
	metrics.AllDownEvents.WithLabelValues("lint.test.", "app.lint.test.").Add(0)
	metrics.OverrideLoads.WithLabelValues("lint.test.", "success").Add(0)
	metrics.StoreOverrideLoads.WithLabelValues("lint.test.", "success").Add(0)
	for name, c := range map[string]prometheus.Collector{
		"all_down_events_total": metrics.AllDownEvents, "override_loads_total": metrics.OverrideLoads,
		"store_override_loads_total": metrics.StoreOverrideLoads,
		"ecs_queries_total":          metrics.ECSQueries, "formerr_total": metrics.FormErrors, "config_loads_total": metrics.ConfigLoads,
		"collector": metrics.Process,
	} {
		problems, err := testutil.CollectAndLint(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if testutil.CollectAndCount(c) == 0 {
			t.Errorf("%s: no series collected, nothing linted", name)
		}
		if c == metrics.Process {
			for _, s := range []series{memberHealthy, memberOverride, poolWeight, queries, answers, failovers} {
				if testutil.CollectAndCount(s.WithLabelValues()) == 0 {
					t.Errorf("%s: no series collected, nothing linted", s.desc)
				}
			}
		}
		for _, p := range problems {
			t.Errorf("%s: %s: %s", name, p.Metric, p.Text)
		}
	}
}

func TestQueryMetrics(t *testing.T) {
	cfg := testConfig()
	cfg.Zones = []string{"metrics.test."}
	for i := range cfg.Records {
		cfg.Records[i].Names = []string{strings.Replace(cfg.Records[i].Names[0], "gslb.test.", "metrics.test.", 1)}
	}
	g := newTestGSLB(t, cfg)
	g.OnStartup()
	defer g.OnShutdown()
	count := func(s series, labels ...string) float64 { return s.WithLabelValues(labels...).value() }
	counter := func(c *prometheus.CounterVec, labels ...string) float64 {
		return testutil.ToFloat64(c.WithLabelValues(labels...))
	}
	for range 3 {
		serve(t, g, "app.metrics.test.", dns.TypeA)
	}
	serve(t, g, "app.metrics.test.", dns.TypeMX) // NODATA: a query, no answer
	if n := count(queries, "metrics.test.", "app.metrics.test."); n != 4 {
		t.Errorf("queries_total = %v, want 4", n)
	}
	if n := count(answers, "metrics.test.", "app.metrics.test.", "eu"); n != 3 {
		t.Errorf("answers_total{pool=eu} = %v, want 3", n)
	}
	if n := count(failovers, "metrics.test.", "app.metrics.test."); n != 0 {
		t.Errorf("failovers_total = %v with every pool up, want 0", n)
	}
	serveECS(t, g, &test.ResponseWriter{}, "app.metrics.test.", dns.TypeA, subnet(1, "192.0.2.0", 24))
	serveECS(t, g, &test.ResponseWriter{}, "app.metrics.test.", dns.TypeA, subnet(1, "0.0.0.0", 0))
	if used, ignored := counter(metrics.ECSQueries, "metrics.test.", "used"), counter(metrics.ECSQueries, "metrics.test.", "ignored"); used != 1 || ignored != 1 {
		t.Errorf("ecs_queries_total used %v ignored %v, want 1 and 1", used, ignored)
	}
	if rcode, _ := serveMsg(t, g, &test.ResponseWriter{}, ecsMsg("app.metrics.test.", dns.TypeA, subnet(1, "192.0.2.1", 24))); rcode != dns.RcodeFormatError {
		t.Fatalf("host bits: rcode %s, want FORMERR", dns.RcodeToString[rcode])
	}
	if n := counter(metrics.FormErrors, "metrics.test.", "host_bits"); n != 1 {
		t.Errorf("formerr_total{reason=host_bits} = %v, want 1", n)
	}
	if n := counter(metrics.ConfigLoads, "metrics.test."); n != 1 {
		t.Errorf("config_loads_total = %v, want 1", n)
	}
}

func TestFailoverMetric(t *testing.T) {
	cfg := testConfig()
	cfg.Zones = []string{"failover.test."}
	cfg.Records = []policy.Record{{Names: []string{"app.failover.test."}, Pools: []string{"eu", "us"}, Answers: 1}}
	g, write := overrideGSLB(t, cfg)
	write("down eu\n")
	g.OnStartup()
	defer g.OnShutdown()
	m := serve(t, g, "app.failover.test.", dns.TypeA)
	if len(m.Answer) != 1 || m.Answer[0].(*dns.A).A.String() != "198.51.100.10" {
		t.Fatalf("answer %v, want us", m.Answer)
	}
	if n := testutil.ToFloat64(failovers.WithLabelValues("failover.test.", "app.failover.test.")); n != 1 {
		t.Errorf("failovers_total = %v, want 1", n)
	}
	if n := testutil.ToFloat64(answers.WithLabelValues("failover.test.", "app.failover.test.", "us")); n != 1 {
		t.Errorf("answers_total{pool=us} = %v, want 1", n)
	}
}

// TestReloadDeletesRemovedMembers: a member a reload removes leaves no
// series behind.
func TestReloadDeletesRemovedMembers(t *testing.T) {
	cfg := testConfig()
	cfg.Zones = []string{"reload.test."}
	cfg.Records = cfg.Records[:1]
	cfg.Records[0].Names = []string{"app.reload.test."}
	old := newTestGSLB(t, cfg)
	old.OnStartup()
	series := func() int { return testutil.CollectAndCount(memberHealthy) }
	before := series()

	next := testConfig()
	next.Zones, next.Records = cfg.Zones, cfg.Records
	next.Pools = append([]policy.Pool(nil), next.Pools...)
	next.Pools[0].Members = []policy.Member{{Addr: netip.MustParseAddr("192.0.2.10"), Weight: 1}} // 2001:db8::10 removed
	g := newTestGSLB(t, next)
	g.OnStartup()
	old.OnShutdown()
	defer g.OnShutdown()
	if after := series(); after != before-1 {
		t.Errorf("member_healthy series: %d before, %d after removing one member", before, after)
	}
	if v := testutil.ToFloat64(memberHealthy.WithLabelValues("reload.test.", "eu", "192.0.2.10")); v != 1 {
		t.Errorf("kept member: member_healthy = %v, want 1", v)
	}
}
