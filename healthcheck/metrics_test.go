package healthcheck

import (
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
)

// series returns the metrics of c whose label name has value.
func series(t *testing.T, c prometheus.Collector, name, value string) []*dto.Metric {
	t.Helper()
	ch := make(chan prometheus.Metric, 64)
	go func() { c.Collect(ch); close(ch) }()
	var found []*dto.Metric
	for m := range ch {
		d := &dto.Metric{}
		if err := m.Write(d); err != nil {
			t.Fatal(err)
		}
		for _, l := range d.GetLabel() {
			if l.GetName() == name && l.GetValue() == value {
				found = append(found, d)
			}
		}
	}
	return found
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func TestProbeMetrics(t *testing.T) {
	tcp := Target{Addr: "192.0.2.1:80", Check: NewCheck("m", TCP)} // never dialled
	m := newProbeMetrics(tcp, "m")
	if n := len(series(t, probeFailures, "target", tcp.Addr)); n != 0 {
		t.Fatalf("%d failure series before any failure, want 0", n)
	}
	m.observe(20*time.Millisecond, nil)
	m.observe(time.Second, &failure{reason: reasonTimeout, err: errors.New("hung")})
	m.observe(time.Millisecond, &failure{reason: reasonRefused, err: errors.New("gone")})
	newProbeMetrics(tcp, "m").observe(time.Millisecond, &failure{reason: reasonRefused, err: errors.New("gone")}) // a second prober, same series

	durations := series(t, probeDuration, "target", tcp.Addr)
	if len(durations) != 1 || label(durations[0], "kind") != "tcp" || label(durations[0], "check") != "m" || durations[0].GetHistogram().GetSampleCount() != 4 {
		t.Fatalf("duration series %v, want one tcp histogram of check m with 4 probes", durations)
	}
	counts := map[string]float64{}
	for _, m := range series(t, probeFailures, "target", tcp.Addr) {
		if label(m, "check") != "m" {
			t.Errorf("failure series %v, want check m", m)
		}
		counts[label(m, "reason")] = m.GetCounter().GetValue()
	}
	if len(counts) != 2 || counts[reasonTimeout] != 1 || counts[reasonRefused] != 2 {
		t.Fatalf("failures by reason %v, want timeout 1 and refused 2", counts)
	}

	forgetProbeSeries("m", tcp, true, false) // another kind still probes the address
	if n := len(series(t, probeDuration, "target", tcp.Addr)); n != 0 {
		t.Errorf("%d duration series left, want 0", n)
	}
	if n := len(series(t, probeFailures, "target", tcp.Addr)); n != 2 {
		t.Errorf("%d failure series left, want the 2 still in use", n)
	}
	forgetProbeSeries("m", tcp, false, false)
	if n := len(series(t, probeFailures, "target", tcp.Addr)); n != 0 {
		t.Errorf("%d failure series left, want 0", n)
	}
}

func TestReasonOf(t *testing.T) {
	if got := reasonOf(failf(reasonMatch, "x")); got != reasonMatch {
		t.Errorf("reasonOf(match failure) = %q", got)
	}
	if got := reasonOf(errors.New("plain")); got != reasonError {
		t.Errorf("reasonOf(plain error) = %q, want %q", got, reasonError)
	}
}

func TestMetricsLint(t *testing.T) {
	probeDuration.WithLabelValues("web", "tcp", "127.0.0.1:1").Observe(0)
	probeFailures.WithLabelValues("web", "127.0.0.1:1", reasonRefused).Add(0)
	defer probeDuration.DeleteLabelValues("web", "tcp", "127.0.0.1:1")
	defer probeFailures.DeleteLabelValues("web", "127.0.0.1:1", reasonRefused)
	for _, c := range []prometheus.Collector{probeDuration, probeFailures} {
		problems, err := testutil.CollectAndLint(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", p.Metric, p.Text)
		}
	}
}
