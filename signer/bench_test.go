package signer

import (
	"net"
	"testing"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/dnssectest"
)

// benchSigner is a signer of zone with one new CSK of algorithm and the
// default cache, as setup makes it.
func benchSigner(b *testing.B, algorithm uint8) (*Signer, *dns.DNSKEY) {
	base, dk := dnssectest.Key(b, b.TempDir(), zone, algorithm, 257)
	k, err := ReadKey(base)
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(zone, []*Key{k}, DefaultCacheSize)
	if err != nil {
		b.Fatal(err)
	}
	return s, dk
}

// BenchmarkSign measures Sign for a one-address A RRset: hit, the same
// RRset each op, its signature reused from the cache (what a repeated
// answer pays); miss, an RRset never signed before each op (another
// address), so each op hashes, misses, signs and adds to the cache, for
// each algorithm ReadKey takes. Run with -benchmem; bench/README.md has
// the numbers.
func BenchmarkSign(b *testing.B) {
	rr := &dns.A{Hdr: dns.RR_Header{Name: "app." + zone, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 30}, A: net.IPv4(192, 0, 2, 1).To4()}
	set := []dns.RR{rr}
	verify := func(b *testing.B, sigs []dns.RR, dk *dns.DNSKEY) {
		if len(sigs) != 1 {
			b.Fatalf("%d RRSIGs, want 1", len(sigs))
		}
		if err := sigs[0].(*dns.RRSIG).Verify(dk, set); err != nil {
			b.Fatalf("verify: %v", err)
		}
	}
	b.Run("hit", func(b *testing.B) {
		s, dk := benchSigner(b, dns.ECDSAP256SHA256)
		sigs, err := s.Sign(set, 30, 30)
		if err != nil {
			b.Fatal(err)
		}
		verify(b, sigs, dk)
		b.ReportAllocs()
		for b.Loop() {
			s.Sign(set, 30, 30)
		}
	})
	for _, alg := range []uint8{dns.ECDSAP256SHA256, dns.ED25519} {
		b.Run("miss_"+dns.AlgorithmToString[alg], func(b *testing.B) {
			s, dk := benchSigner(b, alg)
			sigs, err := s.Sign(set, 30, 30)
			if err != nil {
				b.Fatal(err)
			}
			verify(b, sigs, dk)
			b.ReportAllocs()
			// The address counts up from 10.0.0.0 (2^24 RRsets) in place: Sign
			// keeps nothing of the RRset but its signature.
			n := uint32(0)
			for b.Loop() {
				n++
				rr.A[0], rr.A[1], rr.A[2], rr.A[3] = 10, byte(n>>16), byte(n>>8), byte(n)
				if _, err := s.Sign(set, 30, 30); err != nil {
					b.Fatal(err)
				}
			}
			rr.A = net.IPv4(192, 0, 2, 1).To4()
		})
	}
}
