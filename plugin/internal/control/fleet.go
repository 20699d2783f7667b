package control

import (
	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// memberKeys names the probed members in the fleet's store, in the order
// of the probe index: the votes a ballot publishes are by that position.
func memberKeys(cfg *config.Config, zone string, idx *probeIndex) []string {
	keys := make([]string, len(idx.members))
	for i, m := range idx.members {
		keys[i] = fleet.MemberKey(zone, cfg.Pools[m.pool].Name, cfg.Pools[m.pool].Members[m.member].Addr.String())
	}
	return keys
}

// memberVote is a member's local verdict: down when one of its checks is
// down (or failed before its first verdict), unknown while one has no
// verdict yet, else up at the product of its checks' factors (each check's
// signals: latency, error ratio, the backend's word, a metric), no lower
// than the floor a probe's factor has. drained is true when a backend said
// drain; signals are the factors by signal, for metrics and the log.
func memberVote(lease *healthcheck.Lease, refs []int32) (v fleet.Vote, drained bool, signals policy.Signals) {
	v = fleet.Vote{State: fleet.Up, Factor: 1}
	by := [policy.NumSignals]float64{1, 1, 1, 1}
	for _, ref := range refs {
		s := lease.StatusAt(int(ref))
		drained = drained || s.Drain
		switch {
		case s.State == healthcheck.Down || (s.State == healthcheck.Unknown && s.Err != ""):
			return fleet.Vote{State: fleet.Down, Error: s.Err}, drained, policy.Signals{}
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
	if v.State == fleet.Up {
		for i, f := range by {
			signals.Set(i, f)
		}
	}
	v.Factor = max(v.Factor, minFactor)
	return v, drained, signals
}

// minFactor is the least weight factor of an up member, as of one probe's.
const minFactor = 0.1

// localState is what a member's own vote makes of it: before its first
// verdict a member counts as up, so a live backend is never held back by
// the rise count at start, while a dead one leaves at its first probe.
func localState(v fleet.Vote, drained bool, signals policy.Signals) policy.State {
	switch v.State {
	case fleet.Down:
		return policy.State{Reason: v.Error, Drained: drained}
	case fleet.Unknown:
		return policy.State{Up: true, Factor: 1, Drained: drained}
	}
	return policy.State{Up: true, Factor: v.Factor, Drained: drained, Signals: signals}
}

// fleetVerdicts is the fleet's verdict of each probed member, over the
// local one, by the stanza's quorum. It changes nothing while the view is
// not usable (the store lost for more than a lease) and for members no
// counted observer votes on.
type fleetVerdicts struct {
	index  *probeIndex
	keys   []string
	view   *fleet.View
	quorum fleet.Quorum
}

func (f fleetVerdicts) apply(h *policy.Health) {
	if !f.view.Usable {
		return
	}
	for i, m := range f.index.members {
		t, ok := f.view.Tally(f.keys[i])
		if !ok {
			continue
		}
		st := h.Member(m.pool, m.member)
		if f.quorum.Down(t.Down, t.Voters()) {
			*st = policy.State{Reason: t.Reason, Drained: st.Drained}
		} else {
			*st = policy.State{Up: true, Factor: t.Factor, Drained: st.Drained, Signals: st.Signals} // a backend's drain, and what this instance's checks say, hold
		}
	}
}
