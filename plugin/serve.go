package plugin

import (
	"context"
	"strings"

	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/coredns/coredns/request"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/ecs"
)

// ServeDNS implements plugin.Handler. Names outside the stanza's zones go
// down the chain; record names are answered here; other names in the zones
// go down the chain when fallthrough covers them, else are answered here.
func (g *GSLB) ServeDNS(ctx context.Context, w dns.ResponseWriter, r *dns.Msg) (int, error) {
	state := request.Request{W: w, Req: r}
	qname := queryName(&state)
	if origin := g.zone.origin(qname); origin != "" {
		if rcode, err, next := g.serveZone(ctx, state, qname, origin); !next {
			return rcode, err
		}
	}
	// Passed down from this small frame, not from serveZone's: a deep stack
	// under the next plugin makes every query's goroutine grow its stack.
	return coreplugin.NextOrFailure(g.Name(), g.Next, ctx, w, r)
}

// serveZone answers a name in one of the stanza's zones, or says next
// when the next plugin should (fallthrough, on_all_down fallthrough).
func (g *GSLB) serveZone(ctx context.Context, state request.Request, qname, origin string) (rcode int, err error, next bool) {
	q := query{state: state}
	if err := g.readClient(&q, origin); err != nil {
		formErrors.WithLabelValues(g.cfg.Zones[0], ecs.Reason(err)).Inc()
		// CoreDNS writes the FORMERR, with an OPT when the query had one.
		return dns.RcodeFormatError, nil, false
	}
	qtype := q.state.QType()
	isApex := qname == origin
	if rec, ok := g.zone.records[qname]; ok && !(isApex && (qtype == dns.TypeSOA || qtype == dns.TypeNS)) {
		return g.serveRecord(&q, rec)
	}
	// Names the stanza has no record for belong to the next plugin when
	// fallthrough covers them, the apex included: a zone file beside gslb
	// keeps its own SOA, NS, MX and TXT.
	if g.cfg.Fall.Through(qname) {
		return 0, nil, true
	}
	switch {
	case isApex && (qtype == dns.TypeSOA || qtype == dns.TypeNS):
		rcode, err = g.serveApex(&q)
	case isApex, g.zone.nonTerminals[qname]:
		rcode, err = g.negative(&q, dns.RcodeSuccess)
	case isNameServer(qname, origin):
		rcode, err = g.serveNameServer(&q)
	default:
		rcode, err = g.negative(&q, dns.RcodeNameError)
	}
	return rcode, err, false
}

// queryName returns the question's name as request.Name does: in
// presentation form, lower case. request.Name first re-escapes the name
// (dns.Name.String), a byte-by-byte pass that took a fifth of a query's
// time in the profile and leaves a name of letters, digits, '-', '_' and
// dots as it is. Such names, nearly every query, skip it; any other byte
// takes request.Name's path.
func queryName(state *request.Request) string {
	if state.Req == nil || len(state.Req.Question) == 0 {
		return state.Name()
	}
	name := state.Req.Question[0].Name
	upper := false
	for i := range len(name) {
		switch c := name[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		case 'A' <= c && c <= 'Z':
			upper = true
		default:
			return state.Name()
		}
	}
	if upper {
		return strings.ToLower(name)
	}
	return name
}

// negative writes NXDOMAIN or NODATA (rcode NOERROR) with the zone's SOA
// in the authority section, as RFC 2308 asks. Its scope is 0: resolvers
// cache negative answers for every subnet (RFC 7871 §7.4).
func (g *GSLB) negative(q *query, rcode int) (int, error) {
	m := new(dns.Msg)
	m.SetRcode(q.state.Req, rcode)
	m.Authoritative = true
	m.Ns = section(*g.zone.soa[q.origin]) // a copy: writers down the line may rewrite names
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
