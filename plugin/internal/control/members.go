package control

import (
	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/hostname"
	"github.com/gslb/gslb/kube"
	"github.com/gslb/gslb/policy"
)

// members is the stanza's members as they are at one time: its member
// lines, then what its pools discovered in clusters, and everything that is
// indexed by their positions. A change of discovered members builds a new
// one, which holds its own leases before the old one lets go of its, so
// the probes of members that stay go on with their state.
type members struct {
	pools  []policy.Pool // the stanza's pools, in order, with discovered members after the configured ones
	names  [][]string    // Member.Name by position: the metrics' labels, made once
	from   [][]string    // the object a discovered member comes from, by position; "" for a member line
	held   []heldBack    // discovered members whose object is not ready
	probes *probeIndex
	hosts  *hostIndex
	keys   []string     // the probed members' names in the store; nil without one
	votes  []fleet.Vote // the local verdicts, by probe index position: reused each compile

	version uint64 // the discovery lease's Version the members were read at

	lease     *healthcheck.Lease
	hostLease *hostname.Lease
	ballot    *fleet.Ballot
}

// heldBack is a discovered member its object holds back, and why.
type heldBack struct {
	pool, member int
	reason       string
}

// newMembers lists cfg's members and, after them in each pool, found: what
// each of cfg.Discovery's sources found, in the same order (nil before the
// first read). An address found twice in one pool is one member.
func newMembers(cfg *config.Config, zone string, found [][]kube.Found) *members {
	m := &members{pools: cfg.Pools}
	if len(found) > 0 {
		m.pools = make([]policy.Pool, len(cfg.Pools))
		copy(m.pools, cfg.Pools)
		m.from = make([][]string, len(cfg.Pools))
		have := make([]map[memberID]int, len(cfg.Pools))
		for i, d := range cfg.Discovery {
			if have[d.Pool] == nil {
				have[d.Pool] = positions(cfg.Pools[d.Pool].Members)
			}
			m.add(d.Pool, found[i], have[d.Pool])
		}
	}
	m.names = make([][]string, len(m.pools))
	for pi, p := range m.pools {
		m.names[pi] = make([]string, len(p.Members))
		for mi, mem := range p.Members {
			m.names[pi][mi] = mem.Name()
		}
	}
	m.probes = newProbeIndex(cfg, m.pools)
	m.hosts = newHostIndex(cfg.Resolver, m.pools)
	m.votes = make([]fleet.Vote, len(m.probes.members))
	if cfg.Store != nil {
		m.keys = memberKeys(zone, m.pools, m.probes)
	}
	return m
}

// add appends what one source found to pool pi; have holds the positions
// of the pool's members so far, by member.
func (m *members) add(pi int, found []kube.Found, have map[memberID]int) {
	p := &m.pools[pi]
	if len(m.from[pi]) < len(p.Members) {
		p.Members = p.Members[:len(p.Members):len(p.Members)] // the configuration's slice is shared
		m.from[pi] = append(m.from[pi], make([]string, len(p.Members)-len(m.from[pi]))...)
	}
	for _, f := range found {
		mem := policy.Member{Addr: f.Addr, Host: f.Host, Weight: config.DefaultWeight}
		if _, dup := have[idOf(mem)]; dup {
			continue
		}
		have[idOf(mem)] = len(p.Members)
		if !f.Ready {
			m.held = append(m.held, heldBack{pi, len(p.Members), f.Reason})
		}
		p.Members = append(p.Members, mem)
		m.from[pi] = append(m.from[pi], f.Object)
	}
}

// same reports whether n has the members of m, at the same positions, held
// back alike: then the snapshot's positions, leases and votes carry on.
func (m *members) same(n *members) bool {
	if len(m.held) != len(n.held) {
		return false
	}
	for i := range m.held {
		if m.held[i] != n.held[i] {
			return false
		}
	}
	for pi := range m.pools {
		a, b := m.pools[pi].Members, n.pools[pi].Members
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] || m.origin(pi, i) != n.origin(pi, i) {
				return false
			}
		}
	}
	return true
}

// origin is the object member mi of pool pi was found in, "" for a member line.
func (m *members) origin(pi, mi int) string {
	if m.from == nil || mi >= len(m.from[pi]) {
		return ""
	}
	return m.from[pi][mi]
}

// holdBack marks down the discovered members whose object is not ready.
func (m *members) holdBack(h *policy.Health) {
	for _, b := range m.held {
		st := h.Member(b.pool, b.member)
		*st = policy.State{Reason: b.reason, Drained: st.Drained}
	}
}
