package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// readyCorefile: ready on %[1]s, prometheus on %[2]s; eu's member is probed
// at %[3]s, where nothing listens, us's member at %[4]s, a live httpBackend.
// The lazy check's long interval makes the startup wait (one interval plus
// a timeout) 21s: ready well before that means the first round decided it.
const readyCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    ready 127.0.0.1:%[1]s
    prometheus 127.0.0.1:%[2]s
    gslb {
        check web {
            http 80 /healthz
            interval 500ms
            timeout 200ms
        }
        check lazy {
            http 80 /healthz
            interval 20s
            timeout 1s
        }
        pool eu {
            member 192.0.2.10 probe 127.0.0.1:%[3]s
            check web
        }
        pool us {
            member 198.51.100.10 probe 127.0.0.1:%[4]s
            check web lazy
        }
        record app {
            pools eu us
            ttl 30
        }
        record dead {
            pools eu
            ttl 30
        }
    }
}
`

func TestReadyAndMetrics(t *testing.T) {
	t.Parallel()
	up := newHTTPBackend(t)
	down := freePort(t) // nothing listens: connections are refused
	readyPort, metricsPort := freePort(t), freePort(t)
	downTarget, upTarget := "127.0.0.1:"+down, "127.0.0.1:"+up.port()

	start := time.Now()
	s := startServer(t, fmt.Sprintf(readyCorefile, readyPort, metricsPort, down, up.port()))

	// Ready once every target has been probed once, the dead one included.
	const readyBound = 5 * time.Second // first probes within 1s, startup wait 21s
	readyURL := "http://127.0.0.1:" + readyPort + "/ready"
	for code, body := getURL(t, readyURL); code != http.StatusOK; code, body = getURL(t, readyURL) {
		if code != 0 && (code != http.StatusServiceUnavailable || !strings.Contains(body, "gslb")) {
			t.Fatalf("GET /ready: %d %q, want 503 naming gslb until ready, then 200", code, body)
		}
		if time.Since(start) > readyBound {
			t.Fatalf("GET /ready: still %d %q %v after start, want 200 once the first probe round finished", code, body, time.Since(start))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("ready %v after start", time.Since(start).Round(time.Millisecond))
	// observeProbe runs before the first round can close: at ready, every
	// target has its first probe counted (upTarget once per check).
	m := scrapeMetrics(t, metricsPort)
	for _, probed := range []struct{ check, target string }{{"web", downTarget}, {"web", upTarget}, {"lazy", upTarget}} {
		if n, ok := metricValue(m, "coredns_gslb_probe_duration_seconds", "check", probed.check, "kind", "http", "target", probed.target); !ok || n < 1 {
			t.Errorf("at ready: coredns_gslb_probe_duration_seconds_count{check=%q,target=%q} = %v (present %v), want ≥ 1: the first round probes every target", probed.check, probed.target, n, ok)
		}
	}

	// The server answers all along: the all-down record fails open (eu's
	// member, half the TTL once the probes hold it back), app fails over.
	s.pollUntil(t, "dead.gslb.test.", time.Now(), 5*time.Second, openEU, fromEU)
	s.expect(t, "app.gslb.test.", fromUS)

	m = scrapeMetrics(t, metricsPort)
	checks := []struct {
		name   string
		labels []string
		ok     func(float64) bool
		want   string
	}{
		{"coredns_gslb_member_healthy", []string{"zone", "gslb.test.", "pool", "eu", "member", "192.0.2.10"}, valueIs(0), "0"},
		{"coredns_gslb_member_healthy", []string{"zone", "gslb.test.", "pool", "us", "member", "198.51.100.10"}, valueIs(1), "1"},
		{"coredns_gslb_probe_failures_total", []string{"target", downTarget, "reason", "refused"}, valueAtLeast(1), "≥ 1"},
		{"coredns_gslb_probe_duration_seconds", []string{"kind", "http", "target", downTarget}, valueAtLeast(1), "a _count ≥ 1"},
		{"coredns_gslb_probe_duration_seconds", []string{"check", "web", "kind", "http", "target", upTarget}, valueAtLeast(1), "a _count ≥ 1"},
		{"coredns_gslb_probe_duration_seconds", []string{"check", "lazy", "kind", "http", "target", upTarget}, valueAtLeast(1), "a _count ≥ 1"},
		{"coredns_gslb_all_down_events_total", []string{"zone", "gslb.test.", "record", "dead.gslb.test."}, valueAtLeast(1), "≥ 1"},
	}
	for _, c := range checks {
		if v, ok := metricValue(m, c.name, c.labels...); !ok || !c.ok(v) {
			t.Errorf("%s%v = %v (present %v), want %s", c.name, c.labels, v, ok, c.want)
		}
	}
	for _, reason := range []string{"timeout", "refused", "tls", "status", "match", "rcode", "not_serving", "error"} {
		if v, ok := metricValue(m, "coredns_gslb_probe_failures_total", "target", upTarget, "reason", reason); ok && v > 0 {
			t.Errorf("coredns_gslb_probe_failures_total{target=%q,reason=%q} = %v, want none for a live httpBackend", upTarget, reason, v)
		}
	}
	if v, ok := metricValue(m, "coredns_gslb_all_down_events_total", "record", "app.gslb.test."); ok && v > 0 {
		t.Errorf("coredns_gslb_all_down_events_total{record=\"app.gslb.test.\"} = %v, want none: us is up", v)
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", scrapeMetricsText(t, metricsPort))
	}
}

func valueIs(want float64) func(float64) bool      { return func(v float64) bool { return v == want } }
func valueAtLeast(want float64) func(float64) bool { return func(v float64) bool { return v >= want } }

// getURL returns the status and body of GET url; 0 and the error when
// nothing answers.
func getURL(t *testing.T, url string) (int, string) {
	t.Helper()
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

// scrapeText returns what the prometheus plugin on port exports.
func scrapeMetricsText(t *testing.T, port string) string {
	t.Helper()
	url := "http://127.0.0.1:" + port + "/metrics"
	code, body := getURL(t, url)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %q, want 200", url, code, body)
	}
	return body
}

// scrape parses what the prometheus plugin on port exports.
func scrapeMetrics(t *testing.T, port string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(scrapeMetricsText(t, port)))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return fams
}

// value returns the value of the series of family name that has the given
// label pairs (among others): a counter's or gauge's value, a histogram's
// sample count.
func metricValue(fams map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	fam := fams[name]
	if fam == nil {
		return 0, false
	}
	for _, m := range fam.GetMetric() {
		has := map[string]string{}
		for _, l := range m.GetLabel() {
			has[l.GetName()] = l.GetValue()
		}
		match := true
		for i := 0; i+1 < len(labels); i += 2 {
			match = match && has[labels[i]] == labels[i+1]
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		case m.Untyped != nil:
			return m.Untyped.GetValue(), true
		}
	}
	return 0, false
}
