// Package metrics is gslb's Prometheus series: vectors for what is bounded
// by zone, and, made at scrape time from the stanzas in service, the series
// per member, pool and record with the query counters behind them.
package metrics

import (
	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Vectors for what is bounded by zone, or counted only on rare events. The
// series per member, pool and record are made at scrape time by the
// collector (collector.go): as vectors they held tens of MiB at 10,000
// records and cost a label hash per query.
var (
	AllDownEvents = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: coreplugin.Namespace,
		Subsystem: "gslb",
		Name:      "all_down_events_total",
		Help:      "Times a record found no eligible pool and fell back to its on_all_down answer.",
	}, []string{"zone", "record"})

	OverrideLoads = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: coreplugin.Namespace,
		Subsystem: "gslb",
		Name:      "override_loads_total",
		Help:      "Override file loads after it changed, by result (success, error: the previous overrides stay).",
	}, []string{"zone", "result"})

	StoreOverrideLoads = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: coreplugin.Namespace,
		Subsystem: "gslb",
		Name:      "store_override_loads_total",
		Help:      "Loads of the zone's fleet-wide overrides from the store after its key changed, by result (success, error: the previous overrides stay).",
	}, []string{"zone", "result"})

	ECSQueries = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: coreplugin.Namespace,
		Subsystem: "gslb",
		Name:      "ecs_queries_total",
		Help:      "Queries whose answer was tailored to their EDNS Client Subnet, by whether the subnet was used or ignored (source 0, private with ecs_private ignore).",
	}, []string{"zone", "subnet"})

	FormErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: coreplugin.Namespace,
		Subsystem: "gslb",
		Name:      "formerr_total",
		Help:      "Queries refused with FORMERR by reason: two_opt, two_ecs, family, source_range, host_bits.",
	}, []string{"zone", "reason"})

	ConfigLoads = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: coreplugin.Namespace,
		Subsystem: "gslb",
		Name:      "config_loads_total",
		Help:      "Configurations of a gslb stanza put into service: the start and every successful reload.",
	}, []string{"zone"})
)

// Descriptions of the collector's metrics: names, help and labels as the
// vectors they replace had them.
var (
	MemberHealthy = desc("member_healthy",
		"Whether a pool member is answered with (1) or held back by its health checks (0).",
		"zone", "pool", "member")
	MemberLocalHealthy = desc("member_local_healthy",
		"With a fleet store: whether this instance's own probes see a pool member up (1) or down (0); member_healthy is the fleet's verdict it answers by.",
		"zone", "pool", "member")
	MemberWeightFactor = desc("member_weight_factor",
		"The factor an up pool member's weight is scaled by, the product of its signals (slow, errors, the backend's word), 0.1 to 1; present only while below 1.",
		"zone", "pool", "member")
	MemberSignalFactor = desc("member_signal_factor",
		"An up pool member's weight factor by signal (slow, errors, agent, metric), present only while that signal lowers it below 1; member_weight_factor is their product as answered.",
		"zone", "pool", "member", "signal")
	MemberOverride = desc("member_override",
		"1 for each override in force on a member: drain, down or up (the configured state; member_healthy is the effective one).",
		"zone", "pool", "member", "override")
	PoolWeight = desc("pool_weight",
		"A pool's weight under policy weighted, as configured in the Corefile and as in effect with the override file.",
		"zone", "pool", "source")
	Queries = desc("queries_total",
		"Queries for a record's names, any type, by record.",
		"zone", "record")
	Answers = desc("answers_total",
		"Address answers by record and the pool they came from.",
		"zone", "record", "pool")
	Failovers = desc("failovers_total",
		"Answers from a pool other than the client's first choice (down, drained, below min_healthy, or all down).",
		"zone", "record")
)

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(coreplugin.Namespace, "gslb", name), help, labels, nil)
}
