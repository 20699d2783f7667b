package healthcheck

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	promqlStale = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "coredns",
		Subsystem: "gslb",
		Name:      "promql_stale",
		Help:      "Gauge: 1 while a promql check's last value is older than its stale limit and the signal is ignored, else 0.",
	}, []string{"check", "target"})

	promqlFailures = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "coredns",
		Subsystem: "gslb",
		Name:      "promql_failures_total",
		Help:      "Counter of promql queries that gave no value, by check, target and reason (unreachable, error, empty, nan).",
	}, []string{"check", "target", "reason"})
)

// promqlMetrics are one promql probe's series. The gauge is set at every
// query, so a series deleted by a prober of the same labels stopping
// after a reload comes back at the next one.
type promqlMetrics struct {
	check, addr string
	stale       prometheus.Gauge
}

func newPromQLMetrics(t Target) promqlMetrics {
	return promqlMetrics{check: t.Check.Name, addr: t.Addr, stale: promqlStale.WithLabelValues(t.Check.Name, t.Addr)}
}

func (m promqlMetrics) setStale(stale bool) {
	v := 0.0
	if stale {
		v = 1
	}
	m.stale.Set(v)
}

func (m promqlMetrics) failed(reason string) {
	promqlFailures.WithLabelValues(m.check, m.addr, reason).Inc() // rare: the lookup cost does not matter
}

func (m promqlMetrics) forget() {
	promqlStale.DeleteLabelValues(m.check, m.addr)
	promqlFailures.DeletePartialMatch(prometheus.Labels{"check": m.check, "target": m.addr})
}
