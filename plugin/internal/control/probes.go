package control

import (
	"net"
	"strconv"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// probeIndex lists the probe targets of every member with checks, by
// position. Target keys are formatted once, here and in Acquire, never per
// compile.
type probeIndex struct {
	targets []healthcheck.Target // distinct, for Acquire: the lease's StatusAt takes these positions
	members []probedMember
}

// probedMember is a member with checks and the positions of its targets.
type probedMember struct {
	pool, member int
	targets      []int32
}

// newProbeIndex lists the (address, check) pairs of cfg. A member's probe
// HOST:PORT, when given, replaces its address and the check's port.
func newProbeIndex(cfg *config.Config) *probeIndex {
	byName := make(map[string]healthcheck.Check, len(cfg.Checks))
	for _, c := range cfg.Checks {
		byName[c.Name] = c
	}
	idx := &probeIndex{}
	seen := map[string]int32{} // Target.Key → position in targets
	for pi, pool := range cfg.Pools {
		for mi, m := range pool.Members {
			if len(pool.Checks) == 0 {
				break
			}
			refs := make([]int32, 0, len(pool.Checks))
			for _, name := range pool.Checks {
				check := byName[name]
				addr := m.Probe
				if addr == "" {
					addr = net.JoinHostPort(m.Addr.String(), strconv.Itoa(int(check.Port)))
				}
				t := healthcheck.Target{Addr: addr, Check: check}
				key := t.Key()
				pos, ok := seen[key]
				if !ok {
					pos = int32(len(idx.targets))
					seen[key] = pos
					idx.targets = append(idx.targets, t)
				}
				refs = append(refs, pos)
			}
			idx.members = append(idx.members, probedMember{pool: pi, member: mi, targets: refs})
		}
	}
	return idx
}

// probes is the source of the local probers' verdicts, read from a lease.
type probes struct {
	index *probeIndex
	lease *healthcheck.Lease
}

// apply reads every probed member's state from the lease, once per compile.
func (p probes) apply(h *policy.Health) {
	for _, m := range p.index.members {
		*h.Member(m.pool, m.member) = memberState(p.lease, m.targets)
	}
}

// memberState is up when all the member's checks are. Before its first
// verdict a target counts as up unless its last probe failed, so a dead
// backend leaves the answers at the first probe while a live one is never
// held back by the rise count at start.
func memberState(lease *healthcheck.Lease, refs []int32) policy.State {
	st := policy.State{Up: true, Factor: 1}
	for _, ref := range refs {
		s := lease.StatusAt(int(ref))
		if s.State == healthcheck.Down || (s.State == healthcheck.Unknown && s.Err != "") {
			return policy.State{Reason: s.Err}
		}
		if s.State == healthcheck.Up {
			st.Factor = min(st.Factor, s.Factor)
		}
	}
	return st
}
