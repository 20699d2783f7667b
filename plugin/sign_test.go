package plugin

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/dnssectest"
	"github.com/gslb/gslb/signer"
)

// signedGSLB is hashConfig's handler with the zone signed by a new CSK,
// beside the same handler unsigned; both with SOA serial 1, so their
// replies can be compared byte for byte.
func signedGSLB(t *testing.T) (signed, unsigned *GSLB, key *dns.DNSKEY) {
	t.Helper()
	s, key := testSigner(t, dns.ECDSAP256SHA256)
	cfg := hashConfig()
	cfg.SOA.Serial = 1
	signed, unsigned = newTestGSLB(t, cfg), newTestGSLB(t, cfg)
	signed.SignWith([]*signer.Signer{s})
	return signed, unsigned, key
}

// testSigner is a signer of gslb.test. with a new CSK of algorithm.
func testSigner(tb testing.TB, algorithm uint8) (*signer.Signer, *dns.DNSKEY) {
	tb.Helper()
	base, key := dnssectest.Key(tb, tb.TempDir(), "gslb.test.", algorithm, 257)
	k, err := signer.ReadKey(base)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := signer.New("gslb.test.", []*signer.Key{k}, 100)
	if err != nil {
		tb.Fatal(err)
	}
	return s, key
}

// withDO is m with the DO bit set.
func withDO(m *dns.Msg) *dns.Msg {
	m.IsEdns0().SetDo()
	return m
}

// Signing keeps the ECS rules: with DO, every kind of answer echoes the
// client subnet with the scope the unsigned answer has, answers the same
// members (sticky hashing by the subnet), signs every RRset that is not
// the OPT, and proves a negative answer with an NSEC at the name.
func TestSignedAnswersKeepECS(t *testing.T) {
	signed, unsigned, key := signedGSLB(t)
	for _, tc := range []struct {
		qname string
		qtype uint16
	}{
		{failoverName, dns.TypeA}, {failoverName, dns.TypeAAAA}, {hashName, dns.TypeA}, {hashName, dns.TypeAAAA},
		{"www.eu.gslb.test.", dns.TypeAAAA}, {"eu.gslb.test.", dns.TypeA}, {"nope.gslb.test.", dns.TypeA},
		{"gslb.test.", dns.TypeSOA}, {"gslb.test.", dns.TypeNS}, {"gslb.test.", dns.TypeDNSKEY}, {"ns.dns.gslb.test.", dns.TypeA},
	} {
		for _, q := range []*dns.EDNS0_SUBNET{subnet(1, "192.0.2.0", 24), subnet(1, "198.51.100.0", 24), subnet(2, "2001:db8::", 56)} {
			t.Run(fmt.Sprintf("%s/%s/%v", tc.qname, dns.TypeToString[tc.qtype], q), func(t *testing.T) {
				_, want := serveMsg(t, unsigned, nil, withDO(ecsMsg(tc.qname, tc.qtype, q)))
				_, got := serveMsg(t, signed, nil, withDO(ecsMsg(tc.qname, tc.qtype, q)))
				checkEcho(t, got, q, echoOf(t, want).SourceScope)
				if tc.qtype != dns.TypeDNSKEY && fmt.Sprint(unsignedPart(got.Answer)) != fmt.Sprint(want.Answer) {
					t.Errorf("answer %v, want the unsigned answer %v", got.Answer, want.Answer)
				}
				for _, section := range [][]dns.RR{got.Answer, got.Ns, got.Extra} {
					checkSigned(t, section, key)
				}
				if want.Rcode == dns.RcodeNameError || (len(want.Answer) == 0 && tc.qtype != dns.TypeDNSKEY) {
					if got.Rcode != dns.RcodeSuccess || !hasType(got.Ns, dns.TypeNSEC) {
						t.Errorf("negative: rcode %s, authority %v; want NOERROR with an NSEC", dns.RcodeToString[got.Rcode], got.Ns)
					}
				}
			})
		}
	}
}

// checkSigned fails unless every RRset of section (OPT aside) has an RRSIG
// that key verifies.
func checkSigned(t *testing.T, section []dns.RR, key *dns.DNSKEY) {
	t.Helper()
	sets := map[[2]any][]dns.RR{}
	var sigs []*dns.RRSIG
	for _, rr := range section {
		switch rr := rr.(type) {
		case *dns.OPT:
		case *dns.RRSIG:
			sigs = append(sigs, rr)
		default:
			k := [2]any{rr.Header().Name, rr.Header().Rrtype}
			sets[k] = append(sets[k], rr)
		}
	}
	for k, set := range sets {
		verified := false
		for _, sig := range sigs {
			if sig.TypeCovered == k[1] && sig.Hdr.Name == k[0] && sig.Verify(key, set) == nil {
				verified = true
			}
		}
		if !verified {
			t.Errorf("%s %s: no RRSIG verifies it", k[0], dns.TypeToString[k[1].(uint16)])
		}
	}
}

func unsignedPart(rrs []dns.RR) []dns.RR {
	var out []dns.RR
	for _, rr := range rrs {
		if t := rr.Header().Rrtype; t != dns.TypeRRSIG && t != dns.TypeNSEC {
			out = append(out, rr)
		}
	}
	return out
}

func hasType(rrs []dns.RR, t uint16) bool {
	for _, rr := range rrs {
		if rr.Header().Rrtype == t {
			return true
		}
	}
	return false
}

// Without DO a signed zone answers as an unsigned one, byte for byte, but
// for the DNSKEY RRset it now has.
func TestUnsignedWithoutDO(t *testing.T) {
	signed, unsigned, _ := signedGSLB(t)
	for _, name := range []string{failoverName, hashName, "nope.gslb.test.", "eu.gslb.test.", "gslb.test."} {
		for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA, dns.TypeSOA, dns.TypeTXT} {
			for _, edns := range []bool{false, true} {
				mk := func() *dns.Msg {
					m := new(dns.Msg)
					m.SetQuestion(name, qtype)
					m.Id = 7
					if edns {
						m.SetEdns0(1232, false)
					}
					return m
				}
				_, want := serveMsg(t, unsigned, nil, mk())
				_, got := serveMsg(t, signed, nil, mk())
				a, _ := want.Pack()
				b, _ := got.Pack()
				if !bytes.Equal(a, b) {
					t.Errorf("%s %s (EDNS %v) without DO: signed zone's reply differs\n%v\nwant\n%v", name, dns.TypeToString[qtype], edns, got, want)
				}
			}
		}
	}
}
