package control

import (
	"net"
	"strconv"

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
				t := memberTarget(pool.Name, m, byName[name])
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

// votes reads every probed member's local verdict from the lease, once
// per compile, into votes and drained (by position in the index).
func (idx *probeIndex) votes(lease *healthcheck.Lease, votes []fleet.Vote, drained []bool, signals []policy.Signals) {
	for i, m := range idx.members {
		votes[i], drained[i], signals[i] = memberVote(lease, m.targets)
	}
}

// applyVotes writes the local verdicts into h.
func (idx *probeIndex) applyVotes(h *policy.Health, votes []fleet.Vote, drained []bool, signals []policy.Signals) {
	for i, m := range idx.members {
		*h.Member(m.pool, m.member) = localState(votes[i], drained[i], signals[i])
	}
}

// memberTarget is the target of check on member m of pool. A promql check
// asks Prometheus about the member instead of dialing it: its query names
// the pool and member, and its address is the member's, for the logs and
// metric labels.
func memberTarget(pool string, m policy.Member, check healthcheck.Check) healthcheck.Target {
	if check.Kind == healthcheck.PromQL {
		return healthcheck.Target{Addr: m.Addr.String(), Check: check.ForMember(pool, m.Addr.String())}
	}
	addr := m.Probe
	if addr == "" {
		addr = net.JoinHostPort(m.Addr.String(), strconv.Itoa(int(check.Port)))
	}
	return healthcheck.Target{Addr: addr, Check: check}
}
