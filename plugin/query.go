package plugin

import (
	"net/netip"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/ecs"
	"github.com/gslb/gslb/policy"
)

// query is one question in one of the stanza's zones and what its answer
// may depend on.
type query struct {
	// w and req, not a request.Request: this value is on the stack under
	// the whole selection, and request.Request's caches make it 136 bytes.
	w     dns.ResponseWriter
	req   *dns.Msg
	qtype uint16
	// untrusted is a client subnet from a resolver outside ecs_trust:
	// echoed, not used, so the answer holds for every subnet (scope 0).
	untrusted bool
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

// readClient sets the query's origin and reads its client address: the
// client subnet option when present, valid and enabled, else the transport
// source. An error is a reason for FORMERR. q is filled in place: a query
// is large, and copying it showed in the profile.
func (g *GSLB) readClient(q *query, origin string) error {
	q.origin = origin
	q.transport = ecs.Source(q.w.RemoteAddr())
	q.client = policy.Client{Addr: q.transport, Bits: q.transport.BitLen()}
	subnet, err := ecs.Find(q.req)
	if err == ecs.ErrTwoOPT || (err != nil && g.cfg.ECS) {
		return err
	}
	if subnet == nil || !g.cfg.ECS {
		return nil
	}
	q.subnet = subnet
	if g.cfg.ECSTrust != nil && !trusted(g.cfg.ECSTrust, q.transport) {
		g.stats.ECSIgnored()
		q.untrusted = true
		return nil // answered by the resolver's own address
	}
	if !subnet.Prefix.IsValid() || subnet.Prefix.Bits() == 0 { // FAMILY 0 has no prefix at all
		g.stats.ECSIgnored()
		return nil // SOURCE 0: the resolver asks for no tailoring; answer by source, scope 0
	}
	if block, private := ecs.PrivateBlock(subnet.Prefix); private && !g.cfg.ECSPrivate {
		g.stats.ECSIgnored()
		q.privateScope = block.Bits()
		return nil
	}
	g.stats.ECSUsed()
	q.client = policy.Client{Addr: subnet.Prefix.Addr(), Bits: subnet.Prefix.Bits()}
	return nil
}

// scope is the SCOPE PREFIX-LENGTH of an answer that depends on the
// client's first bits bits (0: not at all).
func (q *query) scope(bits int) int {
	if q.untrusted {
		return 0
	}
	if bits > 0 && q.privateScope > 0 {
		return q.privateScope
	}
	return bits
}

// trusted reports whether a resolver's address is in one of nets.
func trusted(nets []netip.Prefix, addr netip.Addr) bool {
	for _, n := range nets {
		if n.Contains(addr) {
			return true
		}
	}
	return false
}

// withSubnet adds the echoed client subnet option to m, in an OPT of its
// own (CoreDNS keeps a reply's OPT options as they are), and returns m.
func (q *query) withSubnet(m *dns.Msg, scope int) *dns.Msg {
	if q.subnet == nil {
		return m
	}
	e := &echo{opt: dns.OPT{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeOPT}}}
	e.option[0] = q.subnet.Reply(q.scope(scope), q.transport)
	e.opt.Option = e.option[:]
	if len(m.Extra) > 0 {
		m.Extra = append(m.Extra, &e.opt)
		return m
	}
	e.extra[0] = &e.opt
	m.Extra = e.extra[:]
	return m
}

// echo is the OPT of a reply to an ECS query with the slices that hold it
// and its option, allocated at once: one allocation where there would be
// three, on every such reply.
type echo struct {
	opt    dns.OPT
	option [1]dns.EDNS0
	extra  [1]dns.RR
}
