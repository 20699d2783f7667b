package plugin

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gslb/gslb/policy"
)

// observe publishes what a new table changed: member health in metrics,
// records entering or leaving the all-down state in metrics and the log.
func (g *GSLB) observe(old, table *policy.Table, health policy.Health) {
	zone := g.cfg.Zones[0]
	g.observeOverrides(zone)
	for _, pool := range g.cfg.Pools {
		for _, m := range pool.Members {
			up := 0.0
			if health.State(pool.Name, m).Up {
				up = 1
			}
			memberHealthy.WithLabelValues(zone, pool.Name, m.Addr.String()).Set(up)
		}
	}
	for i, rec := range g.cfg.Records {
		was, is := old != nil && old.AllDown(i), table.AllDown(i)
		switch {
		case is && !was:
			allDownEvents.WithLabelValues(zone, rec.Names[0]).Inc()
			log.Warningf("record %s: no pool is eligible, answering per on_all_down", rec.Names[0])
		case was && !is:
			log.Infof("record %s: a pool is eligible again", rec.Names[0])
		}
	}
}

// observeOverrides shows the overrides in force next to the configuration.
func (g *GSLB) observeOverrides(zone string) {
	memberOverride.DeletePartialMatch(prometheus.Labels{"zone": zone})
	o := g.overrides
	for _, pool := range g.cfg.Pools {
		effective := pool.Weight
		if w, ok := o.weight(pool.Name); ok {
			effective = w
		}
		poolWeight.WithLabelValues(zone, pool.Name, "configured").Set(float64(pool.Weight))
		poolWeight.WithLabelValues(zone, pool.Name, "effective").Set(float64(effective))
		for _, m := range pool.Members {
			for _, name := range o.of(memberKey(pool.Name, m)) {
				memberOverride.WithLabelValues(zone, pool.Name, m.Addr.String(), name).Set(1)
			}
		}
	}
}
