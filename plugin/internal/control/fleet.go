package control

import (
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/policy"
)

// memberKeys names the probed members in the fleet's store, in the order
// of the probe index: the votes a ballot publishes are by that position.
func memberKeys(zone string, pools []policy.Pool, idx *probeIndex) []string {
	keys := make([]string, len(idx.members))
	for i, m := range idx.members {
		keys[i] = fleet.MemberKey(zone, pools[m.pool].Name, pools[m.pool].Members[m.member].Name())
	}
	return keys
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
