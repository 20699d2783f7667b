package control

import (
	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/hostname"
)

// holders are where a controller's members take their leases: the
// registries Start was given and the change every lease reports to.
type holders struct {
	probes   *healthcheck.Registry
	stores   *fleet.Registry
	load     any // the Corefile load the stanza is part of, for the store
	onChange func()
}

// join acquires what m's members need: the store's ballot on the probed
// members, the resolvers of their host names, the probers of their
// targets. Those already held by another lease (the members m replaces,
// another stanza, the configuration being reloaded) are joined with their
// state. On an error m holds nothing.
func (m *members) join(cfg *config.Config, h holders) error {
	if cfg.Store != nil {
		b, err := h.stores.Acquire(cfg.Store.Config, h.load, m.keys, h.onChange)
		if err != nil {
			return err
		}
		m.ballot = b
	}
	if len(m.hosts.names) > 0 {
		m.hostLease = hostname.Default.Acquire(m.hosts.server, m.hosts.names, h.onChange)
	}
	if len(m.probes.targets) > 0 {
		m.lease = h.probes.Acquire(m.probes.targets, h.onChange)
	}
	return nil
}

// release lets go of m's leases; no onChange of theirs follows it.
func (m *members) release() {
	if m.lease != nil {
		m.lease.Release()
	}
	if m.hostLease != nil {
		m.hostLease.Release()
	}
	if m.ballot != nil {
		m.ballot.Release()
	}
}
