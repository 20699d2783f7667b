package plugin

import (
	"net"
	"net/netip"
	"strconv"

	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// memberKey names a member of a pool for the overrides and the metrics.
func memberKey(pool string, m policy.Member) string { return pool + "/" + m.Addr.String() }

// memberRef finds a member's position without building a string.
type memberRef struct {
	pool string
	addr netip.Addr
}

// healthIndex lists the probe targets of every member with checks by
// position: such members are numbered pool by pool, in configuration order;
// the others are always up and take no room. Target keys are formatted once,
// here and in Acquire, never per compile.
type healthIndex struct {
	targets []healthcheck.Target // distinct, for Acquire: the lease's StatusAt takes these positions
	checks  [][]int32            // by member position: its targets' positions
	members map[memberRef]int    // (pool, address) → member position
}

// newHealthIndex lists the (address, check) pairs of cfg. A member's probe
// HOST:PORT, when given, replaces its address and the check's port.
func newHealthIndex(cfg *Config) *healthIndex {
	byName := make(map[string]healthcheck.Check, len(cfg.Checks))
	for _, c := range cfg.Checks {
		byName[c.Name] = c
	}
	idx := &healthIndex{members: map[memberRef]int{}}
	seen := map[string]int32{} // Target.Key → position in targets
	for _, pool := range cfg.Pools {
		if len(pool.Checks) == 0 {
			continue
		}
		for _, m := range pool.Members {
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
			idx.members[memberRef{pool.Name, m.Addr}] = len(idx.checks)
			idx.checks = append(idx.checks, refs)
		}
	}
	return idx
}

// snapshot reads every member's state from the lease, once per compile, so
// that the compile, the metrics and the log all see the same health.
func (idx *healthIndex) snapshot(lease *healthcheck.Lease) healthSnapshot {
	states := make([]policy.State, len(idx.checks))
	for i, refs := range idx.checks {
		states[i] = memberState(lease, refs)
	}
	return healthSnapshot{index: idx, states: states}
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
			return policy.State{}
		}
		if s.State == healthcheck.Up {
			st.Factor = min(st.Factor, s.Factor)
		}
	}
	return st
}

// healthSnapshot is the probes' verdicts at one moment; immutable.
type healthSnapshot struct {
	index  *healthIndex
	states []policy.State // by member position
}

// State implements policy.Health. A member the index does not hold has no
// checks: up.
func (h healthSnapshot) State(pool string, m policy.Member) policy.State {
	if i, ok := h.index.members[memberRef{pool, m.Addr}]; ok {
		return h.states[i]
	}
	return policy.State{Up: true, Factor: 1}
}

// refresher compiles a stanza's answers after health changes, in a goroutine
// of its own: a prober only marks the change and goes on probing, and the
// changes that arrive while a compile runs cost one more compile, not one
// each.
type refresher struct {
	wake chan struct{} // capacity 1: a change not compiled yet
	stop chan struct{}
	done chan struct{}
}

func newRefresher() *refresher {
	return &refresher{wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// changed marks a change and never blocks: it is the lease's onChange.
func (r *refresher) changed() {
	select {
	case r.wake <- struct{}{}:
	default: // a compile is already due and will read this change too
	}
}

// run calls refresh at once for each mark, until close.
func (r *refresher) run(refresh func()) {
	defer close(r.done)
	for {
		select {
		case <-r.stop:
			return
		case <-r.wake:
		}
		select {
		case <-r.stop: // select picks at random when both are ready
			return
		default:
			refresh()
		}
	}
}

// close stops run and waits for a refresh in progress to return; no other
// starts once close is called.
func (r *refresher) close() {
	close(r.stop)
	<-r.done
}
