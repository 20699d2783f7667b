package plugin

import (
	"context"

	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/coredns/coredns/request"
	"github.com/miekg/dns"
)

// ServeDNS implements plugin.Handler. Names outside the stanza's zones go
// down the chain; record names are answered here; other names in the zones
// go down the chain when fallthrough covers them, else are answered here.
func (g *GSLB) ServeDNS(ctx context.Context, w dns.ResponseWriter, r *dns.Msg) (int, error) {
	state := request.Request{W: w, Req: r}
	qname := state.Name()
	origin := coreplugin.Zones(g.zone.origins).Matches(qname)
	if origin == "" {
		return coreplugin.NextOrFailure(g.Name(), g.Next, ctx, w, r)
	}
	q, err := g.newQuery(state, origin)
	if err != nil {
		// CoreDNS writes the FORMERR, with an OPT when the query had one.
		return dns.RcodeFormatError, nil
	}
	qtype := state.QType()
	isApex := qname == origin
	if rec, ok := g.zone.records[qname]; ok && !(isApex && (qtype == dns.TypeSOA || qtype == dns.TypeNS)) {
		return g.serveRecord(ctx, &q, rec)
	}
	// Names the stanza has no record for belong to the next plugin when
	// fallthrough covers them, the apex included: a zone file beside gslb
	// keeps its own SOA, NS, MX and TXT.
	if g.cfg.Fall.Through(qname) {
		return coreplugin.NextOrFailure(g.Name(), g.Next, ctx, w, r)
	}
	switch {
	case isApex && (qtype == dns.TypeSOA || qtype == dns.TypeNS):
		return g.serveApex(&q)
	case isApex, g.zone.nonTerminals[qname]:
		return g.negative(&q, dns.RcodeSuccess)
	case qname == nsName(origin):
		return g.serveNameServer(&q)
	}
	return g.negative(&q, dns.RcodeNameError)
}

// negative writes NXDOMAIN or NODATA (rcode NOERROR) with the zone's SOA
// in the authority section, as RFC 2308 asks. Its scope is 0: resolvers
// cache negative answers for every subnet (RFC 7871 §7.4).
func (g *GSLB) negative(q *query, rcode int) (int, error) {
	m := new(dns.Msg)
	m.SetRcode(q.state.Req, rcode)
	m.Authoritative = true
	soa := *g.zone.soa[q.origin] // a copy: writers down the line may rewrite names
	m.Ns = []dns.RR{&soa}
	return g.write(q, m, 0)
}

// write sends m with the client subnet echo for scope. Errors are returned
// so CoreDNS logs them; the rcode is the one in the message, already
// written.
func (g *GSLB) write(q *query, m *dns.Msg, scope int) (int, error) {
	q.withSubnet(m, scope)
	if err := q.state.W.WriteMsg(m); err != nil {
		return dns.RcodeServerFailure, coreplugin.Error(g.Name(), err)
	}
	return dns.RcodeSuccess, nil
}
