package plugin

import (
	"net"
	"net/netip"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/ecs"
)

// apex is what a zone's origin answers: its SOA and NS set.
type apex struct {
	soa *dns.SOA
	ns  []string // name server names
}

// server is an in-zone name server: the addresses it answers A and AAAA
// with and that NS answers carry as glue.
type server struct {
	addrs []netip.Addr
}

func newApex(cfg *config.Config, origin string, z *zone) *apex {
	serial := cfg.SOA.Serial
	if serial == 0 {
		serial = uint32(time.Now().Unix()) // changes with every config load
	}
	min := cfg.SOA.Minimum
	return &apex{
		ns: cfg.NSNames(origin),
		// The SOA's TTL is its MINIMUM: a negative answer is cached for
		// the lower of the two (RFC 2308 §5), and it is short by default,
		// so that a name a reload adds becomes visible quickly.
		soa: &dns.SOA{
			Hdr:     dns.RR_Header{Name: origin, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: min},
			Ns:      cfg.MName(origin),
			Mbox:    cfg.RName(origin),
			Serial:  serial,
			Refresh: cfg.SOA.Refresh,
			Retry:   cfg.SOA.Retry,
			Expire:  cfg.SOA.Expire,
			Minttl:  min,
		},
	}
}

// addServers indexes the in-zone name servers by name, in the zone each
// belongs to.
func (z *zone) addServers(cfg *config.Config) {
	for _, ns := range cfg.NameServers {
		if len(ns.Addrs) == 0 {
			continue // out of zone
		}
		for _, origin := range cfg.Zones {
			if name := ns.In(origin); z.origin(name) == origin {
				z.servers[name] = &server{addrs: ns.Addrs}
			}
		}
	}
}

// serveApex answers SOA, NS and ANY at the zone apex; ANY gets the SOA,
// one RRset as RFC 8482 allows.
func (g *GSLB) serveApex(q *query) *dns.Msg {
	a := g.zone.apex[q.origin]
	m := new(dns.Msg)
	m.SetReply(q.req)
	m.Authoritative = true
	if q.qtype == dns.TypeDNSKEY {
		return q.withSubnet(g.dnskeys(m, q.origin), 0)
	}
	if q.qtype != dns.TypeNS {
		m.Answer = section(*a.soa)
		return q.withSubnet(m, 0)
	}
	for _, name := range a.ns {
		m.Answer = append(m.Answer, &dns.NS{Hdr: g.header(q.req.Question[0].Name, dns.TypeNS, g.cfg.TTL), Ns: name})
		m.Extra = append(m.Extra, g.glue(q, name, name, 0)...)
	}
	return q.withSubnet(m, 0)
}

// serveServer answers A and AAAA (ANY: both) for a name server's name with
// its glue, or for the synthesised name with the address the query arrived
// on, so that the NS record resolves. Other types are NODATA.
func (g *GSLB) serveServer(q *query) *dns.Msg {
	qtype := q.qtype
	if qtype == dns.TypeANY {
		qtype = 0
	}
	rrs := g.glue(q, q.req.Question[0].Name, queryName(q.w, q.req), qtype)
	if len(rrs) == 0 {
		return g.negative(q, dns.RcodeSuccess)
	}
	m := new(dns.Msg)
	m.SetReply(q.req)
	m.Authoritative = true
	m.Answer = rrs
	return q.withSubnet(m, 0)
}

// glue returns the A and AAAA records of the name server named key (lower
// case), with owner as their name: those of qtype (0: both).
func (g *GSLB) glue(q *query, owner, key string, qtype uint16) []dns.RR {
	if g.zone.synthesised && isNameServer(key, q.origin) {
		if rr := g.localAddress(q.w, owner, qtype); rr != nil {
			return []dns.RR{rr}
		}
		return nil
	}
	s := g.zone.servers[key]
	if s == nil {
		return nil // out of zone
	}
	var rrs []dns.RR
	for _, a := range s.addrs {
		if rr := g.address(owner, a, qtype); rr != nil {
			rrs = append(rrs, rr)
		}
	}
	return rrs
}

// localAddress returns an A or AAAA record of the server's own address,
// nil when qtype asks for the other family or the address is unspecified.
// qtype 0 takes whichever family the address is.
func (g *GSLB) localAddress(w dns.ResponseWriter, name string, qtype uint16) dns.RR {
	addr := ecs.Source(w.LocalAddr())
	if !addr.IsValid() || addr.IsUnspecified() {
		return nil
	}
	return g.address(name, addr, qtype)
}

// address is addr as an A or AAAA record, nil when qtype asks for the
// other family.
func (g *GSLB) address(name string, addr netip.Addr, qtype uint16) dns.RR {
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
