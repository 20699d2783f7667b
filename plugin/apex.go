package plugin

import (
	"net"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/ecs"
)

// serveApex answers SOA and NS at the zone apex.
func (g *GSLB) serveApex(q *query) *dns.Msg {
	origin := q.origin
	m := new(dns.Msg)
	m.SetReply(q.req)
	m.Authoritative = true
	if q.qtype == dns.TypeSOA {
		m.Answer = section(*g.zone.soa[origin])
		return q.withSubnet(m, 0)
	}
	ns := &dns.NS{Hdr: g.header(q.req.Question[0].Name, dns.TypeNS, g.cfg.TTL), Ns: nsName(origin)}
	m.Answer = []dns.RR{ns}
	if glue := g.localAddress(q.w, nsName(origin), 0); glue != nil {
		m.Extra = []dns.RR{glue}
	}
	return q.withSubnet(m, 0)
}

// serveNameServer answers A and AAAA for the name server name with the
// address the query arrived on, so that the NS record resolves.
func (g *GSLB) serveNameServer(q *query) *dns.Msg {
	rr := g.localAddress(q.w, q.req.Question[0].Name, q.qtype)
	if rr == nil {
		return g.negative(q, dns.RcodeSuccess)
	}
	m := new(dns.Msg)
	m.SetReply(q.req)
	m.Authoritative = true
	m.Answer = []dns.RR{rr}
	return q.withSubnet(m, 0)
}

// localAddress returns an A or AAAA record of the server's own address,
// nil when qtype asks for the other family or the address is unspecified.
// qtype 0 takes whichever family the address is.
func (g *GSLB) localAddress(w dns.ResponseWriter, name string, qtype uint16) dns.RR {
	addr := ecs.Source(w.LocalAddr())
	if !addr.IsValid() || addr.IsUnspecified() {
		return nil
	}
	ip := net.IP(addr.AsSlice())
	switch {
	case addr.Is4() && (qtype == 0 || qtype == dns.TypeA):
		return &dns.A{Hdr: g.header(name, dns.TypeA, g.cfg.TTL), A: ip}
	case addr.Is6() && (qtype == 0 || qtype == dns.TypeAAAA):
		return &dns.AAAA{Hdr: g.header(name, dns.TypeAAAA, g.cfg.TTL), AAAA: ip}
	}
	return nil
}

func (g *GSLB) header(name string, rrtype uint16, ttl uint32) dns.RR_Header {
	return dns.RR_Header{Name: name, Rrtype: rrtype, Class: dns.ClassINET, Ttl: ttl}
}
