package signer

import (
	"slices"

	"github.com/miekg/dns"
)

// Deny returns the compact denial of existence (RFC 9824) of a query for
// qtype at name, with its RRSIGs: an NSEC owned by name whose next name is
// just above it ("\000.name"), so it covers no other name, listing types,
// what the name has, minus qtype. A name that does not exist (types nil)
// lists RRSIG, NSEC and NXNAME, and the answer is NODATA instead of
// NXDOMAIN; NXNAME tells resolvers that know RFC 9824 that it was.
func (s *Signer) Deny(name string, qtype uint16, types []uint16, ttl uint32) ([]dns.RR, error) {
	bitmap := []uint16{dns.TypeRRSIG, dns.TypeNSEC}
	if types == nil {
		bitmap = append(bitmap, dns.TypeNXNAME)
	}
	for _, t := range types {
		if t != qtype && !slices.Contains(bitmap, t) {
			bitmap = append(bitmap, t)
		}
	}
	slices.Sort(bitmap)
	next := "\\000." + name
	if name == "." {
		next = "\\000."
	}
	nsec := &dns.NSEC{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeNSEC, Class: dns.ClassINET, Ttl: ttl}, NextDomain: next, TypeBitMap: bitmap}
	sigs, err := s.Sign([]dns.RR{nsec}, ttl, ttl)
	if err != nil {
		return nil, err
	}
	return append([]dns.RR{nsec}, sigs...), nil
}
