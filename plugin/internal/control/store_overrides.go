package control

import (
	"fmt"

	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/override"
	"github.com/gslb/gslb/plugin/internal/metrics"
)

// storeOverrides are the fleet-wide overrides of the stanza's zone, as
// last read from the store key.
type storeOverrides struct {
	current  *Overrides // in force; nil when the key is absent
	revision int64      // of the value last read, good or bad
}

// loadStoreOverrides takes the zone's overrides key when its value
// changed. A bad or contradictory value is logged with its reason and
// counted, and the overrides in force stay; a deleted key lifts them.
// Called by compile, with mu held.
func (c *Controller) loadStoreOverrides(view *fleet.View) {
	stored, ok := view.Overrides(c.zone)
	name := "etcd key " + fleet.OverridesKey(c.cfg.Store.Prefix, c.zone)
	if !ok {
		if c.store.current != nil {
			log.Infof("%s: deleted, no fleet overrides in force", name)
		}
		c.store = storeOverrides{}
		return
	}
	if stored.Revision == c.store.revision {
		return
	}
	c.store.revision = stored.Revision
	o, err := c.parseStoreOverrides(name, stored.Value)
	if err != nil {
		metrics.StoreOverrideLoads.WithLabelValues(c.zone, "error").Inc()
		log.Errorf("%v; keeping the fleet overrides in force: %s", err, c.store.current)
		return
	}
	c.store.current = o
	metrics.StoreOverrideLoads.WithLabelValues(c.zone, "success").Inc()
	log.Infof("%s: in force: %s", name, o)
}

func (c *Controller) parseStoreOverrides(name string, value []byte) (*Overrides, error) {
	if len(value) > maxOverrideSize {
		return nil, fmt.Errorf("%s: %d bytes: expected at most %d, a few lines of overrides", name, len(value), maxOverrideSize)
	}
	entries, err := override.Parse(name, value)
	if err != nil {
		return nil, err
	}
	o, err := newOverrides(name, c.cfg, c.m.pools, entries)
	if err != nil {
		return nil, err
	}
	return o, o.contradiction(name, c.m.pools)
}
