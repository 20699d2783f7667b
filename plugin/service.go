package plugin

import (
	"net"
	"slices"

	clog "github.com/coredns/coredns/plugin/pkg/log"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/policy"
)

// serveService answers an HTTPS or SVCB query for record rec with the
// record's configured services, their ipv4hint and ipv6hint filled from
// the pools the A and AAAA answers would choose for this client now, so
// that the hints follow health, geo and weights; the answer's scope is
// the larger of the two. A record without services of the type is NODATA;
// a CNAME record answers with its CNAME, as for every type. Out of line:
// its frame is not on the A and AAAA path.
//
//go:noinline
func (g *GSLB) serveService(q *query, rec int) (*dns.Msg, int) {
	table := g.control.Load().Table
	if table.Alias(rec) {
		return g.serveRecord(q, rec)
	}
	g.stats.Query(rec)
	svcs := g.cfg.Services[rec]
	if !slices.ContainsFunc(svcs, func(s config.Service) bool { return s.Type == q.qtype }) {
		return g.negative(q, dns.RcodeSuccess), 0
	}
	if g.geo != nil && table.NeedsGeo(rec) {
		g.locate(q)
	}
	var h hints
	for f := policy.IPv4; f <= policy.IPv6; f++ {
		if table.Has(rec, f) {
			if m, rcode, done := g.hint(q, table, rec, f, &h); done {
				return m, rcode // all down, answered as the address answers are
			}
		}
	}
	return g.services(q, table, rec, &h), 0
}

// hints are the address hints of a service answer and what they depend on.
type hints struct {
	ips     [2][]net.IP
	reduced bool
	counted bool
	scope   int
}

// hint chooses the addresses of family f for the hints, as the A or AAAA
// answer would, or the reply of an all-down record (done). Out of line, so
// that the selection runs under a frame of its own, not the answer's.
//
//go:noinline
func (g *GSLB) hint(q *query, table *policy.Table, rec int, f policy.Family, h *hints) (*dns.Msg, int, bool) {
	a := table.Choose(rec, f, &q.client, make([]net.IP, 0, table.Answers(rec)))
	if a.Outcome == policy.PassDown || a.Outcome == policy.ServerFailure {
		if clog.D.Value() {
			m, rcode := g.replyLogged(q, table, rec, f, &a)
			return m, rcode, true
		}
		m, rcode := g.reply(q, table, rec, f, &a)
		return m, rcode, true
	}
	if clog.D.Value() {
		g.explain(q, table, rec, f, a.PoolIndex, a.Scope, a.Outcome, a.AllDown, addressReply(f, a.IPs))
	}
	if !h.counted {
		g.stats.Answer(rec, a.PoolIndex, a.Failover)
		h.counted = true
	}
	h.ips[f], h.reduced, h.scope = a.IPs, h.reduced || a.Reduced, max(h.scope, a.Scope)
	return nil, 0, false
}

// services builds the answer of record rec's services of the query's type.
//
//go:noinline
func (g *GSLB) services(q *query, table *policy.Table, rec int, h *hints) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(q.req)
	m.Authoritative = true
	hdr := g.header(q.req.Question[0].Name, q.qtype, g.answerTTL(table, rec, h.reduced))
	for _, s := range g.cfg.Services[rec] {
		if s.Type == q.qtype {
			m.Answer = append(m.Answer, service(hdr, s, h.ips))
		}
	}
	return q.withSubnet(m, h.scope)
}

// service builds one HTTPS or SVCB record of s in ServiceMode, its target
// the owner itself, with the hints added and every parameter in ascending
// key order, as RFC 9460 §2.2 requires on the wire.
func service(hdr dns.RR_Header, s config.Service, hints [2][]net.IP) dns.RR {
	params := slices.Clone(s.Params)
	if len(hints[policy.IPv4]) > 0 {
		params = append(params, &dns.SVCBIPv4Hint{Hint: hints[policy.IPv4]})
	}
	if len(hints[policy.IPv6]) > 0 {
		params = append(params, &dns.SVCBIPv6Hint{Hint: hints[policy.IPv6]})
	}
	slices.SortFunc(params, func(a, b dns.SVCBKeyValue) int { return int(a.Key()) - int(b.Key()) })
	svcb := dns.SVCB{Hdr: hdr, Priority: s.Priority, Target: ".", Value: params}
	if s.Type == dns.TypeHTTPS {
		return &dns.HTTPS{SVCB: svcb}
	}
	return &svcb
}

// addressReply is a message holding ips as the answer section, for the
// debug log of a service answer's hints.
func addressReply(f policy.Family, ips []net.IP) *dns.Msg {
	return &dns.Msg{Answer: addressRecords(".", f, 0, ips)}
}
