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

func observeProbe(t Target, latency time.Duration, err error) {
	probeDuration.WithLabelValues(t.Check.Kind.String(), t.Addr).Observe(latency.Seconds())
	if err != nil {
		probeFailures.WithLabelValues(t.Addr, reasonOf(err)).Inc()
	}
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
