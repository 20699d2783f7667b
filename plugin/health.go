package plugin

import (
	"net"
	"strconv"

	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// memberKey names a member of a pool in the health index.
func memberKey(pool string, m policy.Member) string { return pool + "/" + m.Addr.String() }

// healthIndex maps every member to the probe targets of its checks.
type healthIndex struct {
	targets []healthcheck.Target            // distinct, for Acquire
	checks  map[string][]healthcheck.Target // memberKey → the member's targets
}

// newHealthIndex lists the (address, check) pairs of cfg. A member's probe
// HOST:PORT, when given, replaces its address and the check's port.
func newHealthIndex(cfg *Config) *healthIndex {
	byName := make(map[string]healthcheck.Check, len(cfg.Checks))
	for _, c := range cfg.Checks {
		byName[c.Name] = c
	}
	idx := &healthIndex{checks: map[string][]healthcheck.Target{}}
	seen := map[string]bool{}
	for _, pool := range cfg.Pools {
		for _, m := range pool.Members {
			for _, name := range pool.Checks {
				check := byName[name]
				addr := m.Probe
				if addr == "" {
					addr = net.JoinHostPort(m.Addr.String(), strconv.Itoa(int(check.Port)))
				}
				t := healthcheck.Target{Addr: addr, Check: check}
				key := memberKey(pool.Name, m)
				idx.checks[key] = append(idx.checks[key], t)
				if !seen[t.Key()] {
					seen[t.Key()] = true
					idx.targets = append(idx.targets, t)
				}
			}
		}
	}
	return idx
}

// leaseHealth reads member health from the probers of a lease.
type leaseHealth struct {
	index *healthIndex
	lease *healthcheck.Lease
}

// State implements policy.Health. A member is up when all its checks are.
// Before its first verdict a target counts as up unless its last probe
// failed, so a dead backend leaves the answers at the first probe while a
// live one is never held back by the rise count at start.
func (h leaseHealth) State(pool string, m policy.Member) policy.State {
	st := policy.State{Up: true, Factor: 1}
	for _, t := range h.index.checks[memberKey(pool, m)] {
		s := h.lease.Status(t)
		if s.State == healthcheck.Down || (s.State == healthcheck.Unknown && s.Err != "") {
			return policy.State{}
		}
		if s.State == healthcheck.Up {
			st.Factor = min(st.Factor, s.Factor)
		}
	}
	return st
}
