package plugin

import (
	"net/netip"

	"github.com/coredns/coredns/request"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/ecs"
	"github.com/gslb/gslb/policy"
)

// query is one question in one of the stanza's zones and what its answer
// may depend on.
type query struct {
	state     request.Request
	origin    string
	transport netip.Addr
	// subnet is the client subnet option to echo; nil when the query has
	// none or ecs is off (then nothing is echoed, RFC 7871 §7.2.1).
	subnet *ecs.Subnet
	// client is the address answers are tailored to.
	client policy.Client
	// privateScope, when positive, replaces a client-dependent scope: a
	// private subnet was ignored (ecs_private ignore), and the answer holds
	// for the whole private block.
	privateScope int
}

// newQuery reads the client address of a query: the client subnet option
// when present, valid and enabled, else the transport source. An error is
// a reason for FORMERR.
func (g *GSLB) newQuery(state request.Request, origin string) (query, error) {
	q := query{state: state, origin: origin, transport: ecs.Source(state.W.RemoteAddr())}
	q.client = policy.Client{Addr: q.transport, Bits: q.transport.BitLen()}
	subnet, err := ecs.Find(state.Req)
	if err == ecs.ErrTwoOPT || (err != nil && g.cfg.ECS) {
		return q, err
	}
	if subnet == nil || !g.cfg.ECS {
		return q, nil
	}
	q.subnet = subnet
	if !subnet.Prefix.IsValid() || subnet.Prefix.Bits() == 0 { // FAMILY 0 has no prefix at all
		return q, nil // SOURCE 0: the resolver asks for no tailoring; answer by source, scope 0
	}
	if block, private := ecs.PrivateBlock(subnet.Prefix); private && !g.cfg.ECSPrivate {
		q.privateScope = block.Bits()
		return q, nil
	}
	q.client = policy.Client{Addr: subnet.Prefix.Addr(), Bits: subnet.Prefix.Bits()}
	return q, nil
}

// scope is the SCOPE PREFIX-LENGTH of an answer that depends on the
// client's first bits bits (0: not at all).
func (q *query) scope(bits int) int {
	if bits > 0 && q.privateScope > 0 {
		return q.privateScope
	}
	return bits
}

// withSubnet adds the echoed client subnet option to m, in an OPT of its
// own: CoreDNS keeps a reply's OPT options as they are.
func (q *query) withSubnet(m *dns.Msg, scope int) {
	if q.subnet == nil {
		return
	}
	opt := &dns.OPT{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeOPT}}
	opt.Option = []dns.EDNS0{q.subnet.Reply(q.scope(scope), q.transport)}
	m.Extra = append(m.Extra, opt)
}
