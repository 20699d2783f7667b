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
// the larger of the two. A record without services of the type is NODATA.
// Out of line: its frame is not on the A and AAAA path.
//
//go:noinline
func (g *GSLB) serveService(q *query, table *policy.Table, rec int) (*dns.Msg, int) {
	svcs := g.cfg.Services[rec]
	if !slices.ContainsFunc(svcs, func(s config.Service) bool { return s.Type == q.qtype }) {
		return g.negative(q, dns.RcodeSuccess), 0
	}
	if g.geo != nil && table.NeedsGeo(rec) {
		g.locate(q)
	}
	var hints [2][]net.IP
	var reduced bool
	scope, counted := 0, false
	for _, f := range []policy.Family{policy.IPv4, policy.IPv6} {
		if !table.Has(rec, f) {
			continue
		}
		a := table.Choose(rec, f, &q.client, make([]net.IP, 0, table.Answers(rec)))
		if clog.D.Value() {
			g.explain(q, table, rec, f, a.PoolIndex, a.Scope, a.AllDown)
		}
		switch a.Outcome {
		case policy.PassDown, policy.ServerFailure: // all down: as the address answers are
			return g.reply(q, table, rec, f, &a)
		}
		if !counted {
			g.stats.Answer(rec, a.PoolIndex, a.Failover)
			counted = true
		}
		hints[f], reduced, scope = a.IPs, reduced || a.Reduced, max(scope, a.Scope)
	}
	m := new(dns.Msg)
	m.SetReply(q.req)
	m.Authoritative = true
	hdr := g.header(q.req.Question[0].Name, q.qtype, g.answerTTL(table, rec, reduced))
	for _, s := range svcs {
		if s.Type == q.qtype {
			m.Answer = append(m.Answer, service(hdr, s, hints))
		}
	}
	return q.withSubnet(m, scope), 0
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
