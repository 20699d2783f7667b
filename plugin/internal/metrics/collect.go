package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/gslb/gslb/policy"
)

// Label values that are not in the configuration.
var (
	sourceConfigured, sourceEffective = "configured", "effective"
	overrideDrain                     = "drain"
	forcedNames                       = [...]string{policy.ForcedUp: "up", policy.ForcedDown: "down"}
)

// scrapeChunk bounds the samples and label pairs made in one allocation.
const scrapeChunk = 4096

// collect sends the series of one stanza, in one pass over its pools as
// hs has them, with the gauges read from its health by position.
func (s *Stanza) collect(ch chan<- prometheus.Metric, hs Health) {
	h, local := hs.Effective, hs.Local
	members := 0
	for _, p := range hs.Pools {
		members += len(p.Members)
	}
	sc := &scrape{ch: ch, chunk: min(scrapeChunk, 2*len(hs.Pools)+4*len(s.cfg.Records)+members+8)}
	zone := sc.pair(&labelZone, &s.zone)
	configured, effective := sc.pair(&labelSource, &sourceConfigured), sc.pair(&labelSource, &sourceEffective)
	drain := sc.pair(&labelOverride, &overrideDrain)
	var signals [policy.NumSignals]*dto.LabelPair // made at the first member a signal lowers

	forced := [...]*dto.LabelPair{policy.ForcedUp: sc.pair(&labelOverride, &forcedNames[policy.ForcedUp]), policy.ForcedDown: sc.pair(&labelOverride, &forcedNames[policy.ForcedDown])}
	poolPairs := make([]*dto.LabelPair, len(hs.Pools))
	for pi := range hs.Pools {
		pool := &hs.Pools[pi]
		pp := sc.pair(&labelPool, &pool.Name)
		poolPairs[pi] = pp
		sc.gauge(PoolWeight, float64(pool.Weight), sc.labels(pp, configured, zone))
		sc.gauge(PoolWeight, float64(h.Weight(pi)), sc.labels(pp, effective, zone))
		for mi := range pool.Members {
			st, up := h.At(pi, mi), 0.0
			if st.Up {
				up = 1
			}
			mp := sc.pair(&labelMember, &hs.Names[pi][mi])
			sc.gauge(MemberHealthy, up, sc.labels(mp, pp, zone))
			if st.Up && st.Factor < 1 { // only while a signal lowers it: a scrape of healthy members costs no more
				sc.gauge(MemberWeightFactor, st.Factor, sc.labels(mp, pp, zone))
				for i, f := range st.Signals {
					if f == 0 {
						continue
					}
					if signals[i] == nil {
						signals[i] = sc.pair(&labelSignal, &policy.SignalNames[i])
					}
					sc.gauge(MemberSignalFactor, f, sc.labels(mp, pp, signals[i], zone))
				}
			}
			if local != nil {
				sc.gauge(MemberLocalHealthy, boolValue(local.At(pi, mi).Up), sc.labels(mp, pp, zone))
			}
			if st.Drained {
				sc.gauge(MemberOverride, 1, sc.labels(mp, drain, pp, zone))
			}
			if st.Forced != policy.NotForced {
				sc.gauge(MemberOverride, 1, sc.labels(mp, forced[st.Forced], pp, zone))
			}
		}
	}
	for i := range s.cfg.Records {
		r := &s.records[i]
		rp := sc.pair(&labelRecord, &s.cfg.Records[i].Names[0])
		sc.counter(Queries, r.cells.queries.Load(), sc.labels(rp, zone))
		sc.counter(Failovers, r.cells.failovers.Load(), sc.labels(rp, zone))
		for j, p := range r.answers {
			sc.counter(Answers, p.n.Load(), sc.labels(poolPairs[r.pools[j]], rp, zone))
		}
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
