package plugin

import (
	"net"

	clog "github.com/coredns/coredns/plugin/pkg/log"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/policy"
)

// inlineAnswers is how many answers the selection buffer on the stack holds.
const inlineAnswers = 4

// serveRecord answers a query for a GSLB record's name. Only A and AAAA
// carry data; every other type is NODATA, never NXDOMAIN, because the name
// exists. It returns the reply, or no reply and passDown or SERVFAIL's
// rcode for an all-down answer the next plugin or CoreDNS writes.
func (g *GSLB) serveRecord(q *query, rec int) (*dns.Msg, int) {
	table := g.control.Load().Table
	g.stats.Query(rec)
	var family policy.Family
	switch q.qtype {
	case dns.TypeA:
		family = policy.IPv4
	case dns.TypeAAAA:
		family = policy.IPv6
	case dns.TypeANY: // RFC 8482 allows a subset: the addresses of one family
		if !table.Has(rec, policy.IPv4) {
			family = policy.IPv6
		}
	default:
		if !table.Alias(rec) {
			return g.negative(q, dns.RcodeSuccess), 0
		}
	}
	if table.Alias(rec) { // a CNAME answers every type
		family = policy.Host
	}
	if g.geo != nil && table.NeedsGeo(rec) {
		g.locate(q)
	}
	// A small buffer on the stack covers the usual answers count; a larger
	// one would grow the stack of every query's goroutine, which costs more
	// than the rare allocation for a record with many answers.
	var small [inlineAnswers]net.IP
	buf := small[:0]
	if n := table.Answers(rec); n > inlineAnswers {
		buf = make([]net.IP, 0, n)
	}
	a := table.Choose(rec, family, &q.client, buf)
	if clog.D.Value() { // only with the debug plugin on: the reason costs
		return g.replyLogged(q, table, rec, family, &a)
	}
	return g.reply(q, table, rec, family, &a)
}

// replyLogged is reply with the debug log of why. Out of line, so that
// neither serveRecord's frame nor reply's grows by the log's.
//
//go:noinline
func (g *GSLB) replyLogged(q *query, table *policy.Table, rec int, family policy.Family, a *policy.Answer) (*dns.Msg, int) {
	m, rcode := g.reply(q, table, rec, family, a)
	g.explain(q, table, rec, family, a.PoolIndex, a.Scope, a.Outcome, a.AllDown, m)
	return m, rcode
}

// locate looks the client up in the GeoIP database. Out of line, the
// GeoInfo it returns is not a temporary in serveRecord's frame.
//
//go:noinline
func (g *GSLB) locate(q *query) {
	q.client.Geo = g.geo.Lookup(q.client.Addr)
}

// reply turns a selection into the reply. It is a function of its own so
// that its temporaries are not in serveRecord's frame, which is on the
// stack under the selection.
func (g *GSLB) reply(q *query, table *policy.Table, rec int, family policy.Family, a *policy.Answer) (*dns.Msg, int) {
	switch a.Outcome {
	case policy.NoData:
		return g.negative(q, dns.RcodeSuccess), 0
	case policy.PassDown:
		g.stats.Answer(rec, a.PoolIndex, a.Failover)
		return nil, passDown
	case policy.ServerFailure: // built here, so the client subnet is echoed
		g.stats.Answer(rec, a.PoolIndex, a.Failover)
		m := new(dns.Msg)
		m.SetRcode(q.req, dns.RcodeServerFailure)
		return q.withSubnet(m, 0), 0
	}
	g.stats.Answer(rec, a.PoolIndex, a.Failover)
	if len(a.IPs) == 0 && a.Host < 0 { // host names that resolve to none of this family
		return g.negative(q, dns.RcodeSuccess), 0
	}
	m := new(dns.Msg)
	m.SetReply(q.req)
	m.Authoritative = true
	ttl := g.answerTTL(table, rec, a.Reduced)
	if family == policy.Host {
		m.Answer = section(dns.CNAME{Hdr: g.header(q.req.Question[0].Name, dns.TypeCNAME, ttl), Target: table.Target(a)})
	} else {
		m.Answer = addressRecords(q.req.Question[0].Name, family, ttl, a.IPs)
	}
	return q.withSubnet(m, a.Scope), 0
}

// answerTTL is the TTL of record rec's answer: the record's own or the
// stanza's, halved for a reduced answer.
func (g *GSLB) answerTTL(table *policy.Table, rec int, reduced bool) uint32 {
	ttl := table.TTL(rec)
	if ttl == 0 {
		ttl = g.cfg.TTL
	}
	if reduced {
		ttl = max(ttl/2, 1)
	}
	return ttl
}

// addressRecords builds the answer section with the question's own
// spelling of the name (RFC 4343). The records are allocated together;
// most records answer with one address, and that one comes with its
// section in a single allocation.
func addressRecords(name string, family policy.Family, ttl uint32, ips []net.IP) []dns.RR {
	if family == policy.IPv4 {
		hdr := dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: ttl}
		if len(ips) == 1 {
			return section(dns.A{Hdr: hdr, A: ips[0]})
		}
		rrs, as := make([]dns.RR, len(ips)), make([]dns.A, len(ips))
		for i, ip := range ips {
			as[i] = dns.A{Hdr: hdr, A: ip}
			rrs[i] = &as[i]
		}
		return rrs
	}
	hdr := dns.RR_Header{Name: name, Rrtype: dns.TypeAAAA, Class: dns.ClassINET, Ttl: ttl}
	if len(ips) == 1 {
		return section(dns.AAAA{Hdr: hdr, AAAA: ips[0]})
	}
	rrs, as := make([]dns.RR, len(ips)), make([]dns.AAAA, len(ips))
	for i, ip := range ips {
		as[i] = dns.AAAA{Hdr: hdr, AAAA: ip}
		rrs[i] = &as[i]
	}
	return rrs
}

// section returns a section of one record, a copy of rr, allocated with
// it: one allocation where a record and its slice take two. A copy also
// keeps writers down the line, which may rewrite names, off shared data.
func section[T any, P interface {
	*T
	dns.RR
}](rr T) []dns.RR {
	s := &struct {
		rrs [1]dns.RR
		rr  T
	}{rr: rr}
	s.rrs[0] = P(&s.rr)
	return s.rrs[:]
}
