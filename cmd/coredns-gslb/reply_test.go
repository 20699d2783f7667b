package main

import (
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// Checks on replies, shared by the end-to-end tests.

// addresses checks a NOERROR answer of exactly the want addresses (in any
// order) with ttl, each owned by the name as asked.
func addresses(ttl uint32, want ...string) func(*testing.T, *dns.Msg) {
	return func(t *testing.T, m *dns.Msg) {
		t.Helper()
		if m.Rcode != dns.RcodeSuccess {
			t.Errorf("rcode %s, want NOERROR", dns.RcodeToString[m.Rcode])
		}
		got := addrs(m)
		if len(got) == 0 || len(got) != len(m.Answer) {
			t.Fatalf("answer section %v, want the address records %v only", m.Answer, want)
		}
		if !sameSet(got, want) {
			t.Errorf("addresses %v, want %v", got, want)
		}
		for _, rr := range m.Answer {
			h := rr.Header()
			if h.Name != m.Question[0].Name || h.Rrtype != m.Question[0].Qtype || h.Ttl != ttl {
				t.Errorf("answer %s: want owner %s, type %s, TTL %d", rr, m.Question[0].Name, dns.TypeToString[m.Question[0].Qtype], ttl)
			}
		}
	}
}

// negative checks NXDOMAIN or NODATA (rcode NOERROR): no answer, the zone's
// SOA in the authority section with TTL and MINIMUM at most 30 (RFC 2308).
func negative(rcode int) func(*testing.T, *dns.Msg) {
	return func(t *testing.T, m *dns.Msg) {
		t.Helper()
		if m.Rcode != rcode {
			t.Errorf("rcode %s, want %s", dns.RcodeToString[m.Rcode], dns.RcodeToString[rcode])
		}
		if len(m.Answer) != 0 {
			t.Errorf("answer section %v, want empty", m.Answer)
		}
		if len(m.Ns) != 1 {
			t.Fatalf("authority section %v, want the zone's SOA only", m.Ns)
		}
		checkSOA(t, m.Ns[0])
	}
}

func apexSOA(t *testing.T, m *dns.Msg) {
	if m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 {
		t.Fatalf("rcode %s, answer %v: want NOERROR and one SOA", dns.RcodeToString[m.Rcode], m.Answer)
	}
	checkSOA(t, m.Answer[0])
}

func checkSOA(t *testing.T, rr dns.RR) {
	t.Helper()
	soa, ok := rr.(*dns.SOA)
	if !ok {
		t.Fatalf("%s is not a SOA", rr)
	}
	if !strings.EqualFold(soa.Hdr.Name, "gslb.test.") || soa.Ns != "ns.dns.gslb.test." {
		t.Errorf("SOA %s: want owner gslb.test. and primary ns.dns.gslb.test.", soa)
	}
	if soa.Minttl > 30 || soa.Hdr.Ttl > 30 || soa.Minttl == 0 {
		t.Errorf("SOA TTL %d, MINIMUM %d: want both at most 30 and MINIMUM above 0", soa.Hdr.Ttl, soa.Minttl)
	}
}

func apexNS(t *testing.T, m *dns.Msg) {
	if m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 {
		t.Fatalf("rcode %s, answer %v: want NOERROR and one NS", dns.RcodeToString[m.Rcode], m.Answer)
	}
	if ns, ok := m.Answer[0].(*dns.NS); !ok || ns.Ns != "ns.dns.gslb.test." {
		t.Errorf("answer %s, want NS ns.dns.gslb.test.", m.Answer[0])
	}
	var glue []string
	for _, rr := range m.Extra {
		if a, ok := rr.(*dns.A); ok && a.Hdr.Name == "ns.dns.gslb.test." {
			glue = append(glue, a.A.String())
		}
	}
	if !slices.Equal(glue, []string{"127.0.0.1"}) {
		t.Errorf("additional section %v, want A 127.0.0.1 for ns.dns.gslb.test.", m.Extra)
	}
}

// addrs returns the A and AAAA addresses of the answer section, in order.
func addrs(m *dns.Msg) []string {
	var out []string
	for _, rr := range m.Answer {
		switch rr := rr.(type) {
		case *dns.A:
			out = append(out, rr.A.String())
		case *dns.AAAA:
			out = append(out, rr.AAAA.String())
		}
	}
	return out
}

// testNets are the only networks a test's answers may contain.
var testNets = []string{"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "127.0.0.0/8", "::1/128"}

// outsideTestNets returns the addresses of any section of m outside testNets.
func outsideTestNets(m *dns.Msg) []string {
	var out []string
	for _, rr := range slices.Concat(m.Answer, m.Ns, m.Extra) {
		var ip net.IP
		switch rr := rr.(type) {
		case *dns.A:
			ip = rr.A
		case *dns.AAAA:
			ip = rr.AAAA
		default:
			continue
		}
		if !slices.ContainsFunc(testNets, func(n string) bool {
			_, cidr, _ := net.ParseCIDR(n)
			return cidr.Contains(ip)
		}) {
			out = append(out, ip.String())
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(a, b)
}
