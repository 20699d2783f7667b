package control

import (
	"github.com/gslb/gslb/kube"
)

// discover starts the watches of the pools' objects, waits (bounded) for
// their first sync and returns them with the members they found; without
// discovery lines, no lease and the configured members.
func (c *Controller) discover(onChange func()) (*kube.Lease, *members, error) {
	if len(c.cfg.Discovery) == 0 {
		return nil, newMembers(c.cfg, c.zone, nil), nil
	}
	sources := make([]kube.Source, len(c.cfg.Discovery))
	for i, d := range c.cfg.Discovery {
		sources[i] = d.Source
	}
	found, err := kube.Default.Acquire(sources, onChange) // process-wide: watches outlive reloads
	if err != nil {
		return nil, nil, err
	}
	waitFor(found.Synced(), firstSyncWait, "watches of the pools' Kubernetes objects not synced", "their members come when they are")
	return found, c.read(found), nil
}

// read lists the members with what found's sources hold now.
func (c *Controller) read(found *kube.Lease) *members {
	version := found.Version() // before reading: a change while reading compiles again
	lists := make([][]kube.Found, len(c.cfg.Discovery))
	for i := range lists {
		lists[i] = found.Found(i)
	}
	m := newMembers(c.cfg, c.zone, lists)
	m.version = version
	return m
}

// rediscover replaces the members when the pools' objects changed since
// they were read, and returns the replaced ones for the caller to release;
// nil when nothing changed. Called by compile, with mu held, after Start.
// The new members join their leases before the old ones let go, so a
// member that stays keeps its probes and their state.
func (c *Controller) rediscover() (retired *members) {
	if c.found == nil || c.found.Version() == c.m.version {
		return nil
	}
	next := c.read(c.found)
	if next.same(c.m) {
		c.m.version = next.version
		return nil
	}
	if err := next.join(c.cfg, c.holders); err != nil {
		log.Errorf("taking the members found in clusters: %v; keeping the members in service", err)
		return nil
	}
	retired, c.m = c.m, next
	c.shaper.remap(next.pools)
	c.overrides = c.overrides.against(c.cfg, next.pools)
	c.store.current = c.store.current.against(c.cfg, next.pools)
	logMembers(retired, next)
	return retired
}
