package plugin

import (
	"github.com/coredns/coredns/plugin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	memberHealthy = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "member_healthy",
		Help:      "Whether a pool member is answered with (1) or held back by its health checks (0).",
	}, []string{"zone", "pool", "member"})

	allDownEvents = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "all_down_events_total",
		Help:      "Times a record found no eligible pool and fell back to its on_all_down answer.",
	}, []string{"zone", "record"})
)
