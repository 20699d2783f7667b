package healthcheck

import (
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/internal/promtest"
)

// promqlTarget is a promql check of member 127.0.0.1 of pool eu against p:
// shed from 0.2 to 0.6, down above 0.8, stale after 2s.
func promqlTarget(p *promtest.Server) Target {
	c := NewCheck("slo", PromQL)
	c.Interval, c.Timeout = 200*time.Millisecond, 150*time.Millisecond
	c.PromQL = PromQuery{URL: p.URL, Query: `slo_value{site="{pool}"}`,
		DownAbove: Limit{On: true, Value: 0.8}, Shed: Shed{Full: 0.2, Empty: 0.6}, Stale: 2 * time.Second}
	return Target{Addr: "127.0.0.1", Check: c.ForMember("eu", "127.0.0.1")}
}

// awaitSeries waits until Prometheus has scraped the exporter's series.
func awaitSeries(t *testing.T, p *promtest.Server) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(p.URL + "/api/v1/query?" + url.Values{"query": {`slo_value{site="eu"}`}}.Encode())
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if _, err = parseQueryResponse(body); err == nil {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus has no slo_value within 15s: %v", err)
		}
	}
}

// awaitStatus polls l until ok holds for target's status.
func awaitStatus(t *testing.T, l *Lease, target Target, what string, within time.Duration, ok func(Status) bool) Status {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		s := l.Status(target)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("not %s within %s: %+v", what, within, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func metricIs(want float64) func(Status) bool {
	return func(s Status) bool { return s.State == Up && math.Abs(s.Factors.Metric-want) < 0.051 }
}

func queryFailures(target Target, reason string) float64 {
	return testutil.ToFloat64(promqlFailures.WithLabelValues(target.Check.Name, target.Addr, reason))
}

// holdThenIgnore breaks the signal with cause and checks it is held at
// 0.55 while fresh, then neutral and counted stale, never down.
func holdThenIgnore(t *testing.T, l *Lease, target Target, reason string, cause func()) {
	t.Helper()
	before := queryFailures(target, reason)
	cause()
	awaitStatus(t, l, target, "failing with "+reason, 10*time.Second, func(Status) bool { return queryFailures(target, reason) > before })
	if s := l.Status(target); !metricIs(0.55)(s) {
		t.Fatalf("%s: the last value is not held: %+v", reason, s)
	}
	began := time.Now()
	awaitStatus(t, l, target, reason+": neutral once stale", 5*time.Second, func(s Status) bool {
		if s.State != Up {
			t.Fatalf("%s: a query without a value took the member %s: %+v", reason, s.State, s)
		}
		return s.Factors.Metric == 1
	})
	if held := time.Since(began); held < time.Second {
		t.Fatalf("%s: neutral after %s, want the value held for about the stale limit 2s", reason, held)
	}
	if v := testutil.ToFloat64(promqlStale.WithLabelValues(target.Check.Name, target.Addr)); v != 1 {
		t.Fatalf("%s: promql_stale %v, want 1", reason, v)
	}
}

// A promql check against a real Prometheus scraping a test exporter: the
// shed band, the hard limit, and a signal that holds, then is ignored,
// when Prometheus answers NaN, nothing, or not at all.
func TestPromQLWithPrometheus(t *testing.T) {
	logs := captureLog(t)
	exp := promtest.StartExporter(t, "0.1")
	prom := promtest.Start(t, exp.Addr)
	awaitSeries(t, prom)

	r := NewRegistry(8)
	target := promqlTarget(prom)
	l := r.Acquire([]Target{target}, nil)
	defer l.Release()
	wait := 10 * time.Second // a scrape a second, then a query every 200ms
	awaitStatus(t, l, target, "up at factor 1", wait, metricIs(1))

	exp.Set("0.4") // halfway through the band: 1 - 0.9/2
	awaitStatus(t, l, target, "shed to 0.55", wait, metricIs(0.55))

	exp.Set("0.9")
	s := awaitStatus(t, l, target, "down over down_above", wait, func(s Status) bool { return s.State == Down })
	if !strings.Contains(s.Err, "0.9 above down_above 0.8") {
		t.Fatalf("down for 0.9: %q, want the value and the limit", s.Err)
	}
	exp.Set("0.4")
	awaitStatus(t, l, target, "back up at 0.55", wait, metricIs(0.55))
	if v := testutil.ToFloat64(promqlStale.WithLabelValues("slo", "127.0.0.1")); v != 0 {
		t.Fatalf("promql_stale %v while values come, want 0", v)
	}

	holdThenIgnore(t, l, target, promqlNaN, func() { exp.Set("NaN") })
	exp.Set("0.4")
	awaitStatus(t, l, target, "0.55 again after NaN", wait, metricIs(0.55))
	holdThenIgnore(t, l, target, promqlEmpty, func() { exp.Set("") }) // a series gone: Prometheus marks it stale
	exp.Set("0.4")
	awaitStatus(t, l, target, "0.55 again after empty", wait, metricIs(0.55))
	holdThenIgnore(t, l, target, promqlUnreachable, prom.Kill)

	if n := strings.Count(logs.String(), "the last one holds"); n != 3 {
		t.Fatalf("%d logs of a value held, want one per outage (3):\n%s", n, logs)
	}
}
