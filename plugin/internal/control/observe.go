package control

import "github.com/gslb/gslb/plugin/internal/metrics"

// observe reports what a new snapshot changed: records entering or leaving
// the all-down state, in metrics and the log.
func (c *Controller) observe(old, s *Snapshot) {
	for i, rec := range c.cfg.Records {
		was, is := old != nil && old.Table.AllDown(i), s.Table.AllDown(i)
		switch {
		case is && !was:
			metrics.AllDownEvents.WithLabelValues(c.zone, rec.Names[0]).Inc()
			log.Warningf("record %s: no pool is eligible, answering per on_all_down", rec.Names[0])
		case was && !is:
			log.Infof("record %s: a pool is eligible again", rec.Names[0])
		}
	}
}
