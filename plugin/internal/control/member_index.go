package control

import (
	"net/netip"

	"github.com/gslb/gslb/policy"
)

// memberID is what makes a pool's member the same one across two member
// lists: its address or host name.
type memberID struct {
	addr netip.Addr
	host string
}

func idOf(m policy.Member) memberID { return memberID{m.Addr, m.Host} }

// positions maps each member of ms to its position: lookups across two
// lists of thousands of discovered members cost one map each, not a scan.
func positions(ms []policy.Member) map[memberID]int {
	at := make(map[memberID]int, len(ms))
	for i, m := range ms {
		if _, dup := at[idOf(m)]; !dup {
			at[idOf(m)] = i
		}
	}
	return at
}
