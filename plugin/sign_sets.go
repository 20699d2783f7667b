package plugin

import (
	"strings"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/signer"
)

// signSection appends the RRSIGs of each RRset of rrs (records of one
// owner and type, in order; the OPT aside) that is in the zone.
func (g *GSLB) signSection(s *signer.Signer, rrs []dns.RR, origin string) []dns.RR {
	out := rrs
	for start := 0; start < len(rrs); {
		h := rrs[start].Header()
		end := start + 1
		for end < len(rrs) && sameSet(rrs[end].Header(), h) {
			end++
		}
		set := rrs[start:end]
		start = end
		if h.Rrtype == dns.TypeOPT || h.Rrtype == dns.TypeRRSIG || !inZone(h.Name, origin) {
			continue
		}
		var err error
		if out, err = s.AppendSigs(out[:len(out):len(out)], set, g.fullTTL(h, origin), h.Ttl); err != nil {
			log.Errorf("dnssec: %v", err)
		}
	}
	return out
}

// inZone says whether name is origin or below it, in any case, without
// splitting it: it runs for every signed RRset.
func inZone(name, origin string) bool {
	if origin == "." {
		return true
	}
	n := len(name) - len(origin)
	return n >= 0 && strings.EqualFold(name[n:], origin) && (n == 0 || name[n-1] == '.')
}

func sameSet(a, b *dns.RR_Header) bool {
	return a.Rrtype == b.Rrtype && a.Class == b.Class && a.Name == b.Name
}

// fullTTL is the TTL an RRset is signed with: a record's own TTL, which a
// failover halves in the answer but not in the signature, so the halved
// answer reuses it; any other RRset's as served.
func (g *GSLB) fullTTL(h *dns.RR_Header, origin string) uint32 {
	if h.Rrtype != dns.TypeA && h.Rrtype != dns.TypeAAAA && h.Rrtype != dns.TypeCNAME {
		return h.Ttl
	}
	kind, rec := g.zone.lookup(strings.ToLower(h.Name), origin) // the name itself when already lower case
	if kind != recordName || rec < 0 {
		return h.Ttl
	}
	ttl := g.cfg.Records[rec].TTL
	if ttl == 0 {
		ttl = g.cfg.TTL
	}
	return max(ttl, h.Ttl)
}

// typesAt are the types name has in zone origin, for a denial's NSEC: nil
// when the name does not exist, none for an empty non-terminal.
func (g *GSLB) typesAt(name, origin string) []uint16 {
	kind, rec := g.zone.lookup(name, origin)
	types := []uint16{}
	if name == origin {
		types = append(types, dns.TypeSOA, dns.TypeNS, dns.TypeDNSKEY)
	}
	switch kind {
	case recordName:
		types = append(types, dns.TypeA, dns.TypeAAAA)
		for _, svc := range g.cfg.Services[rec] {
			types = append(types, svc.Type)
		}
	case serverName:
		types = append(types, dns.TypeA, dns.TypeAAAA)
	case noName:
		return nil
	}
	return types
}
