package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gslb/gslb/policy"
)

// forcedNames are the member_override label values of the forced states.
var forcedNames = [...]string{policy.ForcedUp: "up", policy.ForcedDown: "down"}

// collect sends the series of one stanza, in one pass over its
// configuration, with the gauges read from h by position.
func (s *Stanza) collect(ch chan<- prometheus.Metric, h *policy.Health) {
	gauge := func(d *prometheus.Desc, value float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, value, labels...)
	}
	counter := func(d *prometheus.Desc, value uint64, labels ...string) {
		if value > 0 { // as the vectors did: a series from the first count on
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(value), labels...)
		}
	}
	for pi, pool := range s.cfg.Pools {
		gauge(PoolWeight, float64(pool.Weight), s.zone, pool.Name, "configured")
		gauge(PoolWeight, float64(h.Weight(pi)), s.zone, pool.Name, "effective")
		for mi := range pool.Members {
			st, addr, up := h.At(pi, mi), s.addrs[pi][mi], 0.0
			if st.Up {
				up = 1
			}
			gauge(MemberHealthy, up, s.zone, pool.Name, addr)
			if st.Drained {
				gauge(MemberOverride, 1, s.zone, pool.Name, addr, "drain")
			}
			if st.Forced != policy.NotForced {
				gauge(MemberOverride, 1, s.zone, pool.Name, addr, forcedNames[st.Forced])
			}
		}
	}
	for i, rec := range s.cfg.Records {
		r, name := &s.records[i], rec.Names[0]
		counter(Queries, r.cells.queries.Load(), s.zone, name)
		counter(Failovers, r.cells.failovers.Load(), s.zone, name)
		for _, p := range r.answers {
			counter(Answers, p.n.Load(), s.zone, name, p.pool)
		}
	}
}
