package plugin

import (
	"context"
	"strings"

	"github.com/coredns/coredns/request"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/ecs"
	"github.com/gslb/gslb/plugin/internal/metrics"
)

// passDown is the rcode serveZone returns for a name the next plugin
// answers (fallthrough, on_all_down fallthrough); passDownEmpty for an
// empty non-terminal of gslb's that the next plugin answers under
// fallthrough, which must not say NXDOMAIN for it.
const (
	passDown      = -1
	passDownEmpty = -2
)

// ServeDNS implements plugin.Handler. Names outside the stanza's zones go
// down the chain; record names are answered here; other names in the zones
// go down the chain when fallthrough covers them, else are answered here.
//
// The reply is built in serveZone and written from this frame, and names
// are passed down from it too (next.go): every UDP query runs on a new goroutine,
// and a goroutine that reaches miekg/dns's packing and sending, or the
// next plugin, under a deeper stack grows (copies) its stack once more per
// query, which cost more than everything gslb itself does.
func (g *GSLB) ServeDNS(ctx context.Context, w dns.ResponseWriter, r *dns.Msg) (int, error) {
	qname := queryName(w, r)
	if origin := g.zone.origin(qname); origin != "" {
		m, rcode := g.serveZone(w, r, qname, origin)
		switch rcode {
		case passDown:
		case passDownEmpty:
			w = existing(w)
		default:
			m, rcode = onlyDO(r, m, rcode)
			if m != nil {
				if g.signers != nil {
					m = g.signed(r, m, qname, origin)
				}
				return g.write(w, m)
			}
			return rcode, nil // FORMERR, REFUSED, NOTIMP: CoreDNS writes it, with an OPT when the query had one
		}
	}
	return g.next(ctx, w, r)
}

// zFlags are the EDNS flags other than DO, in the OPT's TTL.
const zFlags = 0x7fff

// onlyDO clears the EDNS flags other than DO in the query's OPT before
// gslb's reply, or the error CoreDNS writes for it, goes out. A reply
// without an OPT of its own gets the query's (request.SizeAndDo, in the
// ScrubWriter CoreDNS wraps every writer in), and SizeAndDo's "clear
// flags" keeps the upper byte, so flags the server does not know would be
// echoed: RFC 6891 §6.1.4 has them ignored, and only DO is echoed. The
// query's OPT is changed in place, as SizeAndDo itself does, rather than
// an OPT allocated per reply; the reply is the query's last use. Out of
// line, it adds no frame under the write; it hands back the reply and
// rcode it was given, so that ServeDNS keeps them in registers across the
// call rather than in a larger frame.
//
//go:noinline
func onlyDO(r, m *dns.Msg, rcode int) (*dns.Msg, int) {
	for _, rr := range r.Extra {
		if o, ok := rr.(*dns.OPT); ok && o.Hdr.Ttl&zFlags != 0 {
			o.Hdr.Ttl &^= zFlags
		}
	}
	return m, rcode
}

// serveZone builds the reply to a name in one of the stanza's zones, or
// returns no message and the rcode for CoreDNS to write, or passDown.
func (g *GSLB) serveZone(w dns.ResponseWriter, r *dns.Msg, qname, origin string) (*dns.Msg, int) {
	q := query{w: w, req: r}
	if len(r.Question) > 0 {
		q.qtype = r.Question[0].Qtype
	}
	if !standard(r) {
		if rcode := g.notStandard(r, qname, origin); rcode != answerIt {
			return nil, rcode
		}
	}
	if err := g.readClient(&q, origin); err != nil {
		metrics.FormErrors.WithLabelValues(g.stats.Zone(), ecs.Reason(err)).Inc()
		return nil, dns.RcodeFormatError
	}
	qtype := q.qtype
	kind, rec := g.zone.lookup(qname, origin)
	apexData := qname == origin && (qtype == dns.TypeSOA || qtype == dns.TypeNS || (qtype == dns.TypeDNSKEY && g.signers != nil))
	switch {
	case kind == recordName && (qtype == dns.TypeHTTPS || qtype == dns.TypeSVCB):
		// From here, not under serveRecord's frame: browsers ask for HTTPS
		// before every connection, as often as for addresses.
		return g.serveService(&q, rec)
	case kind == recordName && !apexData:
		return g.serveRecord(&q, rec)
	case kind == serverName: // the stanza's own name servers: gslb's, fallthrough or not
		return g.serveServer(&q), 0
	}
	// Names the stanza has no record for belong to the next plugin when
	// fallthrough covers them, the apex included: a zone file beside gslb
	// keeps its own SOA, NS, MX and TXT.
	if g.cfg.Fall.Through(qname) {
		if kind == emptyName {
			return nil, passDownEmpty
		}
		return nil, passDown
	}
	switch kind {
	case recordName, apexName:
		if apexData || qtype == dns.TypeANY {
			return g.serveApex(&q), 0
		}
		return g.negative(&q, dns.RcodeSuccess), 0
	case emptyName:
		return g.negative(&q, dns.RcodeSuccess), 0
	case localServer:
		return g.serveServer(&q), 0
	}
	return g.negative(&q, dns.RcodeNameError), 0
}

// standard reports whether r is a standard query of class IN for data:
// what gslb answers, and nearly every message. The rest is notStandard's.
func standard(r *dns.Msg) bool {
	if r.Opcode != dns.OpcodeQuery {
		return false
	}
	if len(r.Question) == 0 {
		return true
	}
	q := &r.Question[0]
	return q.Qclass == dns.ClassINET && q.Qtype != dns.TypeAXFR && q.Qtype != dns.TypeIXFR
}

// answerIt is notStandard's verdict for a message answered as a query.
const answerIt = 0

// notStandard decides a message in the zones that is not a standard IN
// query, as an authoritative server without zone transfers or dynamic
// updates does. A name gslb passes down (fallthrough) goes down whatever
// the message, so that a zone file, secondary, transfer or dynupdate
// beside gslb gets what is its own; AXFR, IXFR and the opcodes go where a
// SOA query for the name goes, as they are about the zone whose SOA that
// is. For a name gslb owns: another opcode (NOTIFY, UPDATE...) is NOTIMP,
// AXFR and IXFR are REFUSED (there is no zone to transfer: answers are
// made per query), a class other than IN is REFUSED (the name exists in IN
// only), and class ANY is answered as IN. The rcodes are CoreDNS's to
// write, as FORMERR is. Out of line: nearly no query comes here, and its
// frame need not be in serveZone's.
//
//go:noinline
func (g *GSLB) notStandard(r *dns.Msg, qname, origin string) int {
	var qtype, qclass uint16 = 0, dns.ClassINET
	if len(r.Question) > 0 {
		qtype, qclass = r.Question[0].Qtype, r.Question[0].Qclass
	}
	transfer := qtype == dns.TypeAXFR || qtype == dns.TypeIXFR
	asked := qtype
	if transfer || r.Opcode != dns.OpcodeQuery {
		asked = dns.TypeSOA
	}
	// As serveZone decides: a record's name is gslb's, except for SOA and
	// NS at the apex, and so are its name servers' names; other names are
	// the next plugin's under fallthrough.
	kind, _ := g.zone.lookup(qname, origin)
	recordData := (kind == recordName && !(qname == origin && (asked == dns.TypeSOA || asked == dns.TypeNS))) || kind == serverName
	if !recordData && g.cfg.Fall.Through(qname) {
		return passDown
	}
	switch {
	case r.Opcode != dns.OpcodeQuery:
		return dns.RcodeNotImplemented
	case transfer, qclass != dns.ClassANY:
		return dns.RcodeRefused
	}
	return answerIt
}

// queryName returns the question's name as request.Name does: in
// presentation form, lower case. request.Name first re-escapes the name
// (dns.Name.String), a byte-by-byte pass that took a fifth of a query's
// time in the profile and leaves a name of letters, digits, '-', '_' and
// dots as it is. Such names, nearly every query, skip it; any other byte
// takes request.Name's path.
func queryName(w dns.ResponseWriter, r *dns.Msg) string {
	if r == nil || len(r.Question) == 0 {
		return escapedName(w, r)
	}
	name := r.Question[0].Name
	upper := false
	for i := range len(name) {
		switch c := name[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		case 'A' <= c && c <= 'Z':
			upper = true
		default:
			return escapedName(w, r)
		}
	}
	if upper {
		return strings.ToLower(name)
	}
	return name
}

// escapedName is request.Name, kept out of line so that its request value
// does not enlarge ServeDNS's frame, which stays on the stack under the
// whole query.
//
//go:noinline
func escapedName(w dns.ResponseWriter, r *dns.Msg) string {
	state := request.Request{W: w, Req: r}
	return state.Name()
}

// negative returns NXDOMAIN or NODATA (rcode NOERROR) with the zone's SOA
// in the authority section, as RFC 2308 asks. Its scope is 0: resolvers
// cache negative answers for every subnet (RFC 7871 §7.4).
func (g *GSLB) negative(q *query, rcode int) *dns.Msg {
	m := new(dns.Msg)
	m.SetRcode(q.req, rcode)
	m.Authoritative = true
	m.Ns = section(*g.soa(q.origin)) // a copy: writers down the line may rewrite names
	return q.withSubnet(m, 0)
}

// write sends m and reports it written. A failed write is not returned:
// it means the client went away (a TCP connection reset or closed before
// the reply), which is no fault of the plugin, and there is nobody to send
// anything else to. An error would have the errors plugin log one line per
// such query, and a SERVFAIL rcode would have CoreDNS write again; hosts,
// file and template ignore the write's error too.
func (g *GSLB) write(w dns.ResponseWriter, m *dns.Msg) (int, error) {
	w.WriteMsg(m)
	return dns.RcodeSuccess, nil
}
