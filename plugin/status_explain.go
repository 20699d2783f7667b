package plugin

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/plugin/internal/status"
	"github.com/gslb/gslb/policy"
)

// Explain implements status.Source: the query path answers a query made
// for q, through serveZone as every query is, and the record's pool order
// for the same client comes from the walk the selection takes. Nothing is
// written to a client and no counter moves.
func (g *GSLB) Explain(q status.Query) (status.Explanation, error) {
	origin := g.zone.origin(q.Name)
	if origin == "" {
		return status.Explanation{}, fmt.Errorf("%w: %s is in none of the zones %s", status.ErrNotFound, q.Name, strings.Join(g.cfg.Zones, " "))
	}
	if q.Country != "" || q.ASN != 0 {
		if err := g.placeClient(&q); err != nil {
			return status.Explanation{}, err
		}
	}
	req := explainQuery(q)
	w := &recorder{remote: &net.UDPAddr{IP: net.ParseIP(q.Client), Port: 53}}
	if q.Subnet {
		w.remote.IP = net.ParseIP(q.Resolver)
	}
	e := status.Explanation{Name: q.Name, Type: dns.Type(q.Type).String()}
	m, rcode := g.explainer.serveZone(w, req, q.Name, origin)
	e.Answer = explainAnswer(m, rcode)

	// The client as the query path read it, and the record's order for it.
	qq := query{w: w, req: req, qtype: q.Type}
	if err := g.explainer.readClient(&qq, origin); err != nil {
		return e, err
	}
	e.Client = status.Client{Address: netip.PrefixFrom(qq.client.Addr, qq.client.Bits).String(), Source: clientSource(&qq)}
	kind, rec := g.zone.lookup(q.Name, origin)
	if kind != recordName {
		return e, nil
	}
	table := g.control.Load().Table
	e.Record = g.cfg.Records[rec].Names[0]
	if g.geo != nil && table.NeedsGeo(rec) {
		g.locate(&qq)
	}
	f := policy.IPv4
	switch {
	case table.Alias(rec):
		f = policy.Host
	case q.Type == dns.TypeAAAA || (q.Type == dns.TypeANY && !table.Has(rec, policy.IPv4)):
		f = policy.IPv6
	}
	x := table.Explanation(rec, f, &qq.client)
	e.Policy, e.Matched, e.Location = x.Policy, x.Matched, x.Location
	chosen := g.poolOf(m)
	for _, v := range x.Pools {
		e.Pools = append(e.Pools, status.PoolReason{Pool: v.Pool, Usable: v.Usable, Why: v.Why, Weight: v.Weight, Share: v.Share, Chosen: v.Pool == chosen})
	}
	if chosen != "" {
		e.Answer.Pool = chosen
	}
	return e, nil
}

// explainQuery is the DNS message of q: with an EDNS client subnet option
// when q's client is a subnet.
func explainQuery(q status.Query) *dns.Msg {
	req := new(dns.Msg)
	req.SetQuestion(q.Name, q.Type)
	if q.Subnet {
		p := netip.MustParsePrefix(q.Client)
		family := uint16(1)
		if p.Addr().Is6() {
			family = 2
		}
		req.SetEdns0(1232, false)
		req.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: family, SourceNetmask: uint8(p.Bits()), Address: p.Addr().AsSlice()}}
	}
	return req
}

// explainAnswer says what the query path did with the query.
func explainAnswer(m *dns.Msg, rcode int) status.Answer {
	switch {
	case rcode == passDown || rcode == passDownEmpty:
		return status.Answer{Rcode: "-", Action: "passed to the next plugin"}
	case m == nil:
		return status.Answer{Rcode: dns.RcodeToString[rcode], Action: "error reply"}
	}
	a := status.Answer{Rcode: dns.RcodeToString[m.Rcode], Scope: replyScope(m)}
	for _, rr := range m.Answer {
		a.Records = append(a.Records, rr.String())
		a.TTL = rr.Header().Ttl
	}
	switch {
	case m.Rcode == dns.RcodeNameError:
		a.Action = "nxdomain"
	case m.Rcode == dns.RcodeServerFailure:
		a.Action = "all down: on_all_down servfail"
	case len(m.Answer) == 0:
		a.Action = "nodata"
	case m.Answer[0].Header().Rrtype == dns.TypeCNAME:
		a.Action = "cname"
	default:
		a.Action = "answer"
	}
	return a
}

func replyScope(m *dns.Msg) int {
	if o := m.IsEdns0(); o != nil {
		for _, opt := range o.Option {
			if s, ok := opt.(*dns.EDNS0_SUBNET); ok {
				return int(s.SourceScope)
			}
		}
	}
	return 0
}

// clientSource says where the query path took the client address from.
func clientSource(q *query) string {
	switch {
	case q.subnet == nil:
		return "transport source"
	case q.untrusted:
		return "ECS from a resolver outside ecs_trust ignored: transport source"
	case q.privateScope > 0:
		return "private ECS " + q.subnet.Prefix.String() + " ignored (ecs_private ignore): transport source"
	case q.subnet.Prefix.Bits() == 0:
		return "ECS source 0: transport source"
	}
	return "ecs"
}

// poolOf names the pool an answer's first record came from: the first
// pool with a member (or resolved address, or host name) in it; "" for
// none.
func (g *GSLB) poolOf(m *dns.Msg) string {
	if m == nil || len(m.Answer) == 0 {
		return ""
	}
	var addr netip.Addr
	var host string
	switch rr := m.Answer[0].(type) {
	case *dns.A:
		addr, _ = netip.AddrFromSlice(rr.A.To4())
	case *dns.AAAA:
		addr, _ = netip.AddrFromSlice(rr.AAAA)
	case *dns.CNAME:
		host = rr.Target
	default:
		return ""
	}
	s := g.control.Load()
	for pi, p := range s.Pools {
		for mi, mem := range p.Members {
			if (addr.IsValid() && (mem.Addr == addr || slices.Contains(s.Health.Addrs(pi, mi), addr))) || (host != "" && mem.Host == host) {
				return p.Name
			}
		}
	}
	return ""
}

// placeClient makes q's client a network the GeoIP database places in q's
// country or ASN: the first, in the database's order.
func (g *GSLB) placeClient(q *status.Query) error {
	if g.geo == nil {
		return errors.New("country, asn: the stanza has no geoip database to place a client with")
	}
	p, ok := g.geo.Find(func(info policy.GeoInfo) bool {
		return (q.Country != "" && info.Country == q.Country) || (q.ASN != 0 && info.ASN == q.ASN)
	})
	if !ok {
		where := q.Country
		if q.ASN != 0 {
			where = fmt.Sprintf("AS%d", q.ASN)
		}
		return fmt.Errorf("country, asn: the geoip database places no network in %s", where)
	}
	q.Client, q.Subnet = p.Masked().String(), true
	return nil
}
