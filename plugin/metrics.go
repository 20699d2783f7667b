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

	memberOverride = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "member_override",
		Help:      "1 for each override in force on a member: drain, down or up (the configured state; member_healthy is the effective one).",
	}, []string{"zone", "pool", "member", "override"})

	poolWeight = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "pool_weight",
		Help:      "A pool's weight under policy weighted, as configured in the Corefile and as in effect with the override file.",
	}, []string{"zone", "pool", "source"})

	overrideLoads = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "override_loads_total",
		Help:      "Override file loads after it changed, by result (success, error: the previous overrides stay).",
	}, []string{"zone", "result"})

	answers = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "answers_total",
		Help:      "Address answers by record and the pool they came from.",
	}, []string{"zone", "record", "pool"})

	failovers = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "failovers_total",
		Help:      "Answers from a pool other than the client's first choice (down, drained, below min_healthy, or all down).",
	}, []string{"zone", "record"})

	ecsQueries = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "ecs_queries_total",
		Help:      "Queries whose answer was tailored to their EDNS Client Subnet, by whether the subnet was used or ignored (source 0, private with ecs_private ignore).",
	}, []string{"zone", "subnet"})

	formErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "formerr_total",
		Help:      "Queries refused with FORMERR by reason: two_opt, two_ecs, family, source_range, host_bits.",
	}, []string{"zone", "reason"})

	configLoads = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "config_loads_total",
		Help:      "Configurations of a gslb stanza put into service: the start and every successful reload.",
	}, []string{"zone"})

	queries = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: plugin.Namespace,
		Subsystem: "gslb",
		Name:      "queries_total",
		Help:      "Queries for a record's names, any type, by record.",
	}, []string{"zone", "record"})
)
