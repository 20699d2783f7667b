package plugin

import (
	"github.com/miekg/dns"

	"github.com/gslb/gslb/signer"
)

// SignWith has the handler sign its answers to queries with the DO bit,
// with one signer per zone that has keys (setup reads them); nil: none.
func (g *GSLB) SignWith(signers []*signer.Signer) {
	g.signers = signers
	g.explainer.signers = signers
}

// signerOf is origin's signer, nil when the zone is not signed.
func (g *GSLB) signerOf(origin string) *signer.Signer {
	for _, s := range g.signers {
		if s.Zone() == origin {
			return s
		}
	}
	return nil
}

// signed is m, gslb's reply to r for qname in zone origin, with its
// RRSIGs, when r asked with DO and the zone is signed: every RRset of
// every section signed, and a negative answer's denial of existence
// (compact: an NXDOMAIN becomes NODATA with an NSEC at the name, RFC 9824).
// A signature that cannot be made leaves its RRset unsigned, logged:
// validators then say bogus, as they would of a missing signature. Out
// of line: only signed zones pay for its frame.
//
//go:noinline
func (g *GSLB) signed(r, m *dns.Msg, qname, origin string) *dns.Msg {
	s := g.signerOf(origin)
	if s == nil || !do(r) || len(r.Question) == 0 {
		return m
	}
	if negative(m) {
		ttl := m.Ns[0].Header().Ttl
		types := g.typesAt(qname, origin)
		if m.Rcode == dns.RcodeNameError {
			m.Rcode, types = dns.RcodeSuccess, nil
		}
		m.Ns = g.signSection(s, m.Ns, origin)
		deny, err := s.Deny(qname, r.Question[0].Qtype, types, ttl)
		if err != nil {
			log.Errorf("dnssec: %v", err)
		}
		m.Ns = append(m.Ns, deny...)
		return m
	}
	m.Answer = g.signSection(s, m.Answer, origin)
	m.Ns = g.signSection(s, m.Ns, origin)
	m.Extra = g.signSection(s, m.Extra, origin)
	return m
}

// negative says whether m is an NXDOMAIN or NODATA answer with its SOA.
func negative(m *dns.Msg) bool {
	if m.Rcode != dns.RcodeNameError && (m.Rcode != dns.RcodeSuccess || len(m.Answer) > 0) {
		return false
	}
	return len(m.Ns) == 1 && m.Ns[0].Header().Rrtype == dns.TypeSOA
}

// do says whether r's OPT has the DO bit.
func do(r *dns.Msg) bool {
	o := r.IsEdns0()
	return o != nil && o.Do()
}

// dnskeys answers the zone's DNSKEY RRset in m, or NODATA when the zone
// has no keys (another zone of the stanza does).
func (g *GSLB) dnskeys(m *dns.Msg, origin string) *dns.Msg {
	s := g.signerOf(origin)
	if s == nil {
		m.Ns = section(*g.soa(origin))
		return m
	}
	m.Answer = s.DNSKEYs() // copies of the keys published now
	return m
}
