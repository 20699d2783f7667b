package control

import (
	"net"
	"strconv"
	"strings"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
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

// newProbeIndex lists the (address, check) pairs of pools, cfg's pools as
// they are now. A member's probe HOST:PORT, when given, replaces its
// address and the check's port.
func newProbeIndex(cfg *config.Config, pools []policy.Pool) *probeIndex {
	byName := make(map[string]healthcheck.Check, len(cfg.Checks))
	for _, c := range cfg.Checks {
		byName[c.Name] = c
	}
	idx := &probeIndex{}
	seen := map[string]int32{} // Target.Key → position in targets
	for pi, pool := range pools {
		for mi, m := range pool.Members {
			if len(pool.Checks) == 0 {
				break
			}
			refs := make([]int32, 0, len(pool.Checks))
			for _, name := range pool.Checks {
				t := memberTarget(pool.Name, m, byName[name], cfg.Resolver)
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

// read takes every probed member's local verdict from the lease, once per
// compile: into votes (by position in the index), for the fleet, and into
// h as the member's state.
func (idx *probeIndex) read(lease *healthcheck.Lease, h *policy.Health, votes []fleet.Vote) {
	for i, m := range idx.members {
		votes[i], *h.Member(m.pool, m.member) = memberVerdict(lease, m.targets)
	}
}

// memberVerdict is a member's local verdict: down when one of its checks
// is down (or failed before its first verdict), unknown while one has no
// verdict yet, else up at the product of its checks' factors (each check's
// signals: latency, error ratio, the backend's word, a metric), no lower
// than the floor a probe's factor has; drained when a backend said drain.
// As a state, a member before its first verdict counts as up, so a live
// backend is never held back by the rise count at start, while a dead one
// leaves at its first probe.
func memberVerdict(lease *healthcheck.Lease, refs []int32) (fleet.Vote, policy.State) {
	v, st := fleet.Vote{State: fleet.Up, Factor: 1}, policy.State{Up: true, Factor: 1}
	by := [policy.NumSignals]float64{1, 1, 1, 1}
	for _, ref := range refs {
		s := lease.StatusAt(int(ref))
		st.Drained = st.Drained || s.Drain
		switch {
		case s.State == healthcheck.Down || (s.State == healthcheck.Unknown && s.Err != ""):
			return fleet.Vote{State: fleet.Down, Error: s.Err}, policy.State{Reason: s.Err, Drained: st.Drained}
		case s.State == healthcheck.Unknown:
			v.State = fleet.Unknown
		default:
			v.Factor *= s.Factor
			by[policy.SignalSlow] *= s.Factors.Slow
			by[policy.SignalErrors] *= s.Factors.Errors
			by[policy.SignalAgent] *= s.Factors.Agent
			by[policy.SignalMetric] *= s.Factors.Metric
		}
	}
	v.Factor = max(v.Factor, minFactor)
	if v.State == fleet.Unknown {
		return v, st
	}
	st.Factor = v.Factor
	for i, f := range by {
		st.Signals.Set(i, f)
	}
	return v, st
}

// minFactor is the least weight factor of an up member, as of one probe's.
const minFactor = 0.1

// memberTarget is the target of check on member m of pool. A promql check
// asks Prometheus about the member instead of dialing it: its query names
// the pool and member, and its address is the member's, for the logs and
// metric labels.
//
// A host-name member without a probe line is dialled at what its name
// resolves to through the stanza's resolver, the name in the target's
// address (the logs' and metrics'); its promql label is the name without
// the final dot.
func memberTarget(pool string, m policy.Member, check healthcheck.Check, resolver string) healthcheck.Target {
	if check.Kind == healthcheck.PromQL {
		label := strings.TrimSuffix(m.Name(), ".")
		return healthcheck.Target{Addr: label, Check: check.ForMember(pool, label)}
	}
	if m.Probe != "" {
		return healthcheck.Target{Addr: m.Probe, Check: check}
	}
	port := strconv.Itoa(int(check.Port))
	if m.Host != "" {
		return healthcheck.Target{Addr: net.JoinHostPort(m.Host, port), Check: check, Names: names{resolver}}
	}
	return healthcheck.Target{Addr: net.JoinHostPort(m.Addr.String(), port), Check: check}
}
