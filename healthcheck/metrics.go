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
	}, []string{"kind", "target"})

	probeFailures = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "coredns",
		Subsystem: "gslb",
		Name:      "probe_failures_total",
		Help:      "Counter of failed health probes by target and reason.",
	}, []string{"target", "reason"})
)

// probeMetrics are one prober's series, resolved once: looking a series up
// by label values hashes them, which cost a few percent of a probe.
type probeMetrics struct {
	addr     string
	duration prometheus.Observer
	failures map[string]prometheus.Counter // by reason, resolved at its first failure
}

func newProbeMetrics(t Target) *probeMetrics {
	return &probeMetrics{
		addr:     t.Addr,
		duration: probeDuration.WithLabelValues(t.Check.Kind.String(), t.Addr),
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
		c = probeFailures.WithLabelValues(m.addr, reason)
		m.failures[reason] = c
	}
	c.Inc()
}

// forgetProbeSeries deletes the series of a target no prober probes any more.
// The caller says which label sets other probers still use.
func forgetProbeSeries(t Target, addrInUse, kindAddrInUse bool) {
	if !kindAddrInUse {
		probeDuration.DeleteLabelValues(t.Check.Kind.String(), t.Addr)
	}
	if !addrInUse {
		probeFailures.DeletePartialMatch(prometheus.Labels{"target": t.Addr})
	}
}
