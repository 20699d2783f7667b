package plugin

import "github.com/prometheus/client_golang/prometheus"

// stats are a stanza's query-path counters. Label values come from the
// configuration, never from queried names, so the series are bounded.
type stats struct {
	zone                string
	records             []string // each record's first name
	pools               []string
	ecsUsed, ecsIgnored prometheus.Counter
}

func newStats(cfg *Config) *stats {
	s := &stats{
		zone:       cfg.Zones[0],
		ecsUsed:    ecsQueries.WithLabelValues(cfg.Zones[0], "used"),
		ecsIgnored: ecsQueries.WithLabelValues(cfg.Zones[0], "ignored"),
	}
	for _, r := range cfg.Records {
		s.records = append(s.records, r.Names[0])
	}
	for _, p := range cfg.Pools {
		s.pools = append(s.pools, p.Name)
	}
	return s
}

// count adds one answer of record rec from the pool at index pool (-1 for
// an all-down answer that falls through or fails). It takes integers, not
// the policy.Answer, so the selection buffer the answer points into stays
// on the caller's stack.
func (s *stats) count(rec, pool int, failover bool) {
	if pool >= 0 {
		answers.WithLabelValues(s.zone, s.records[rec], s.pools[pool]).Inc()
	}
	if failover {
		failovers.WithLabelValues(s.zone, s.records[rec]).Inc()
	}
}

// forget deletes the zone's member and pool gauges: the next observe
// writes those of the configuration in service, so members a reload
// removed do not linger. Counters stay: they only ever grow.
func (s *stats) forget() {
	for _, vec := range []*prometheus.GaugeVec{memberHealthy, memberOverride, poolWeight} {
		vec.DeletePartialMatch(prometheus.Labels{"zone": s.zone})
	}
}
