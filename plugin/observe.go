package plugin

import (
	"github.com/gslb/gslb/policy"
)

// observe publishes what a new table changed: the health and overrides it
// was compiled with, which the collector reads member and pool gauges from
// at scrape time, and records entering or leaving the all-down state in
// metrics and the log.
func (g *GSLB) observe(old, table *policy.Table, health policy.Health) {
	g.stats.view.Store(&view{health: health, overrides: g.overrides})
	zone := g.cfg.Zones[0]
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
