package control

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/gslb/gslb/hostname"
	"github.com/gslb/gslb/policy"
)

// hostIndex lists the host-name members of a stanza by position, and the
// distinct names to resolve.
type hostIndex struct {
	server  string // the stanza's resolver; "": the system's
	members []hostMember
	names   []string
}

type hostMember struct {
	pool, member int
	name         string
}

func newHostIndex(server string, pools []policy.Pool) *hostIndex {
	idx := &hostIndex{server: server}
	seen := map[string]bool{}
	for pi, pool := range pools {
		for mi, m := range pool.Members {
			if m.Host == "" {
				continue
			}
			idx.members = append(idx.members, hostMember{pi, mi, m.Host})
			if !seen[m.Host] {
				seen[m.Host] = true
				idx.names = append(idx.names, m.Host)
			}
		}
	}
	return idx
}

// apply gives each host-name member in h the addresses its name resolves
// to now; a member whose name resolves to none is down, with the reason.
// Without a lease (before Start) no name has resolved yet.
func (idx *hostIndex) apply(lease *hostname.Lease, h *policy.Health) {
	for _, m := range idx.members {
		res := hostname.Result{Err: "host name " + m.name + " not resolved yet"}
		if lease != nil {
			res = lease.Lookup(m.name)
		}
		h.SetAddrs(m.pool, m.member, res.Addrs)
		if len(res.Addrs) == 0 {
			st := h.Member(m.pool, m.member)
			*st = policy.State{Reason: res.Err, Drained: st.Drained}
		}
	}
}

// names is the healthcheck.Names of a stanza's probes of host-name
// members: what the process-wide resolvers last found, through the
// stanza's resolver.
type names struct{ server string }

func (n names) Addrs(host string) ([]netip.Addr, error) {
	res, ok := hostname.Default.Lookup(n.server, host)
	switch {
	case !ok:
		return nil, fmt.Errorf("host name %s is not being resolved", host)
	case len(res.Addrs) == 0:
		return nil, errors.New(res.Err)
	}
	return res.Addrs, nil
}

func (n names) String() string {
	if n.server == "" {
		return "system"
	}
	return n.server
}
