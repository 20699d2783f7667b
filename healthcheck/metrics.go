package healthcheck

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	probeDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "coredns",
		Subsystem: "gslb",
		Name:      "probe_duration_seconds",
		Help:      "Histogram of the time health probes took, failed ones included.",
		Buckets:   prometheus.ExponentialBuckets(0.001, 2, 13), // 1ms to 4s: timeouts are seconds
	}, []string{"check", "kind", "target"})

	probeFailures = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "coredns",
		Subsystem: "gslb",
		Name:      "probe_failures_total",
		Help:      "Counter of failed health probes by check, target and reason.",
	}, []string{"check", "target", "reason"})
)

// probeMetrics are one prober's series, resolved once: looking a series up
// by label values hashes them, which cost a few percent of a probe.
type probeMetrics struct {
	check    string
	addr     string
	duration prometheus.Observer
	failures map[string]prometheus.Counter // by reason, resolved at its first failure
}

// check is the check label of the target's entry (entry.check).
func newProbeMetrics(t Target, check string) *probeMetrics {
	return &probeMetrics{
		check:    check,
		addr:     t.Addr,
		duration: probeDuration.WithLabelValues(check, t.Check.Kind.String(), t.Addr),
		failures: map[string]prometheus.Counter{},
	}
}

// observe counts one probe. A failure series appears at its first failure,
// so a healthy target exports none.
func (m *probeMetrics) observe(latency time.Duration, err error) {
	m.duration.Observe(latency.Seconds())
	if err == nil {
		return
	}
	reason := reasonOf(err)
	c := m.failures[reason]
	if c == nil {
		c = probeFailures.WithLabelValues(m.check, m.addr, reason)
		m.failures[reason] = c
	}
	c.Inc()
}

// forgetProbeSeries deletes the series of a target, with check label check,
// that no prober probes any more. The caller says which label sets other
// probers still use: another entry with the same check label and address
// (a reload that changed the check's path, say) counts into the same
// failure series, and into the same duration series if its kind is the same.
func forgetProbeSeries(check string, t Target, addrInUse, kindAddrInUse bool) {
	if !kindAddrInUse {
		probeDuration.DeleteLabelValues(check, t.Check.Kind.String(), t.Addr)
	}
	if !addrInUse {
		probeFailures.DeletePartialMatch(prometheus.Labels{"check": check, "target": t.Addr})
	}
}
