package plugin

import (
	"github.com/gslb/gslb/policy"
)

// observe publishes what a new table changed: member health in metrics,
// records entering or leaving the all-down state in metrics and the log.
func (g *GSLB) observe(old, table *policy.Table, health policy.Health) {
	zone := g.cfg.Zones[0]
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
