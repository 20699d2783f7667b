package main

import (
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// zoneCorefile is a zone as a parent delegates it: its own name servers
// with glue and SOA, a wildcard, and HTTPS and SVCB answers whose hints
// follow the client's geo route.
const zoneCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    gslb {
        ns ns1 127.0.0.1
        ns ns2 127.0.0.2 ::1
        soa {
            rname hostmaster@gslb.test
            serial 7
            minimum 60
        }
        pool eu {
            member 192.0.2.10
            member 2001:db8::10
        }
        pool us {
            member 198.51.100.10
        }
        record app {
            policy geo
            route us net 203.0.113.0/24
            pools eu us
            https 1 alpn=h3,h2 port=8443 ech=AEn+DQBFKwAgACABWIHUGj4u+PIggYXcR5JF0gYk3dCRioBW8uJq9H4mKAAIAAEAAQABAANAEnB1YmxpYy50bHMtZWNoLmRldgAA
            svcb 2 alpn=h2
        }
        record *.apps {
            pools us
        }
    }
}
`

func TestDelegatedZone(t *testing.T) {
	t.Parallel()
	s := startServer(t, zoneCorefile)
	soa := "gslb.test.\t60\tIN\tSOA\tns1.gslb.test. hostmaster.gslb.test. 7 7200 1800 86400 60"
	for _, netw := range []string{"udp", "tcp"} {
		m := s.query(t, netw, "gslb.test.", dns.TypeNS, false)
		if got := strings.Join(rrStrings(m.Answer), "; "); got != "gslb.test.\t30\tIN\tNS\tns1.gslb.test.; gslb.test.\t30\tIN\tNS\tns2.gslb.test." {
			t.Errorf("NS over %s: %s", netw, got)
		}
		if got := strings.Join(rrStrings(m.Extra), "; "); !strings.Contains(got, "ns1.gslb.test.\t30\tIN\tA\t127.0.0.1") || !strings.Contains(got, "ns2.gslb.test.\t30\tIN\tAAAA\t::1") {
			t.Errorf("glue over %s: %s", netw, got)
		}
		for _, q := range []uint16{dns.TypeSOA, dns.TypeANY} {
			if m := s.query(t, netw, "gslb.test.", q, true); len(m.Answer) != 1 || m.Answer[0].String() != soa || !m.Authoritative {
				t.Errorf("%s over %s: %v, want the one SOA", dns.TypeToString[q], netw, m.Answer)
			}
		}
		if m := s.query(t, netw, "ns2.gslb.test.", dns.TypeANY, false); len(m.Answer) != 2 {
			t.Errorf("ANY at ns2 over %s: %v, want its A and AAAA", netw, m.Answer)
		}
		m = s.query(t, netw, "nope.gslb.test.", dns.TypeA, true)
		if m.Rcode != dns.RcodeNameError || len(m.Ns) != 1 || m.Ns[0].String() != soa {
			t.Errorf("NXDOMAIN over %s: %s %v", netw, dns.RcodeToString[m.Rcode], m.Ns)
		}
		for name, want := range map[string]string{"tenant-1.apps.gslb.test.": "198.51.100.10", "a.b.apps.gslb.test.": "198.51.100.10"} {
			m := s.query(t, netw, name, dns.TypeA, false)
			if got := addrs(m); len(got) != 1 || got[0] != want || m.Answer[0].Header().Name != name {
				t.Errorf("%s over %s: %v, want %s owned by the query name", name, netw, m.Answer, want)
			}
		}
		if m := s.query(t, netw, "apps.gslb.test.", dns.TypeA, false); m.Rcode != dns.RcodeSuccess || len(m.Answer) != 0 {
			t.Errorf("the wildcard's parent over %s: %s %v, want NODATA", netw, dns.RcodeToString[m.Rcode], m.Answer)
		}
	}
}

// TestHTTPSWireFormat reads gslb's HTTPS and SVCB answers with dig and
// kdig, two other parsers of RFC 9460's wire format, and checks the
// hints follow the client's route with the route's scope.
func TestHTTPSWireFormat(t *testing.T) {
	t.Parallel()
	s := startServer(t, zoneCorefile)
	host, port, _ := net.SplitHostPort(s.Addr)
	ech := "AEn+DQBFKwAgACABWIHUGj4u+PIggYXcR5JF0gYk3dCRioBW8uJq9H4mKAAIAAEAAQABAANAEnB1YmxpYy50bHMtZWNoLmRldgAA"
	run := func(tool string, args ...string) string {
		out, err := exec.Command(tool, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	want := map[string]string{
		"eu": `1 . alpn="h3,h2" port=8443 ipv4hint=192.0.2.10 ech=` + ech + ` ipv6hint=2001:db8::10`,
		// us has no IPv6 member: the AAAA answer, and so the hint, is eu's.
		"us": `1 . alpn="h3,h2" port=8443 ipv4hint=198.51.100.10 ech=` + ech + ` ipv6hint=2001:db8::10`,
	}
	if got := run("dig", "+short", "@"+host, "-p", port, "app.gslb.test.", "HTTPS"); got != want["eu"] {
		t.Errorf("dig HTTPS: %q\nwant %q", got, want["eu"])
	}
	if got := run("dig", "+short", "@"+host, "-p", port, "+subnet=203.0.113.0/24", "app.gslb.test.", "HTTPS"); got != want["us"] {
		t.Errorf("dig HTTPS from the us route: %q\nwant %q", got, want["us"])
	}
	if got := run("dig", "@"+host, "-p", port, "+subnet=203.0.113.0/24", "app.gslb.test.", "HTTPS"); !strings.Contains(got, "CLIENT-SUBNET: 203.0.113.0/24/24") {
		t.Errorf("dig HTTPS from the us route: want the route's scope /24:\n%s", got)
	}
	// kdig writes the parameters in its own style: compare what they say.
	got := run("kdig", "+short", "@"+host, "-p", port, "app.gslb.test.", "HTTPS")
	for _, part := range []string{"1 .", "alpn=h3,h2", "port=8443", "ipv4hint=192.0.2.10", "ech=" + ech, "ipv6hint=2001:db8::10"} {
		if !strings.Contains(got, part) {
			t.Errorf("kdig HTTPS %q lacks %q", got, part)
		}
	}
	if got := run("kdig", "+short", "@"+host, "-p", port, "app.gslb.test.", "SVCB"); !strings.Contains(got, "2 . alpn=h2 ipv4hint=192.0.2.10 ipv6hint=2001:db8::10") {
		t.Errorf("kdig SVCB %q", got)
	}
}

func rrStrings(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		out = append(out, rr.String())
	}
	return out
}
