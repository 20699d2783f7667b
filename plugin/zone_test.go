package plugin

import (
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/plugin/file"
	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/config"
)

// parsedGSLB is the handler of a gslb stanza as a Corefile writes it.
func parsedGSLB(t *testing.T, stanza string) *GSLB {
	t.Helper()
	cfg, err := config.Parse(caddy.NewTestController("dns", stanza))
	if err != nil {
		t.Fatal(err)
	}
	return newTestGSLB(t, cfg)
}

// rrs formats a section one record per string, TTLs left out.
func rrs(section []dns.RR) []string {
	var out []string
	for _, rr := range section {
		f := strings.Fields(rr.String())
		out = append(out, strings.Join(append(f[:1:1], f[3:]...), " "))
	}
	return out
}

func wantRRs(t *testing.T, what string, got []dns.RR, want ...string) {
	t.Helper()
	if g := rrs(got); !slices.Equal(g, want) {
		t.Errorf("%s: %q, want %q", what, g, want)
	}
}

const delegatedStanza = `gslb gslb.example.com {
    ns ns1 127.0.0.1 ::1
    ns ns2.gslb.example.com. 127.0.0.2
    ns ns.provider.example.net.
    soa {
        rname dns@example.com
        serial 2026120101
        refresh 4h
        retry 1h
        expire 14d
        minimum 300
    }
    pool eu {
        member 192.0.2.10
    }
    record www {
        pools eu
    }
}`

func TestDelegatedZoneApex(t *testing.T) {
	g := parsedGSLB(t, delegatedStanza)
	soa := "gslb.example.com. SOA ns1.gslb.example.com. dns.example.com. 2026120101 14400 3600 1209600 300"
	m := serve(t, g, "gslb.example.com.", dns.TypeSOA)
	wantRRs(t, "SOA", m.Answer, soa)
	if m.Answer[0].Header().Ttl != 300 {
		t.Errorf("SOA TTL %d, want its minimum 300", m.Answer[0].Header().Ttl)
	}
	m = serve(t, g, "gslb.example.com.", dns.TypeNS)
	wantRRs(t, "NS", m.Answer, "gslb.example.com. NS ns1.gslb.example.com.", "gslb.example.com. NS ns2.gslb.example.com.", "gslb.example.com. NS ns.provider.example.net.")
	wantRRs(t, "glue", m.Extra, "ns1.gslb.example.com. A 127.0.0.1", "ns1.gslb.example.com. AAAA ::1", "ns2.gslb.example.com. A 127.0.0.2")
	m = serve(t, g, "gslb.example.com.", dns.TypeANY)
	wantRRs(t, "ANY at the apex: one RRset", m.Answer, soa)
	m = serve(t, g, "nope.gslb.example.com.", dns.TypeA)
	if m.Rcode != dns.RcodeNameError {
		t.Fatalf("rcode %d", m.Rcode)
	}
	wantRRs(t, "negative", m.Ns, soa)
}

func TestDelegatedZoneNameServers(t *testing.T) {
	g := parsedGSLB(t, delegatedStanza)
	for _, tc := range []struct {
		name  string
		qtype uint16
		rcode int
		want  []string
	}{
		{"ns1.gslb.example.com.", dns.TypeA, 0, []string{"ns1.gslb.example.com. A 127.0.0.1"}},
		{"NS1.gslb.example.com.", dns.TypeAAAA, 0, []string{"NS1.gslb.example.com. AAAA ::1"}},
		{"ns1.gslb.example.com.", dns.TypeANY, 0, []string{"ns1.gslb.example.com. A 127.0.0.1", "ns1.gslb.example.com. AAAA ::1"}},
		{"ns2.gslb.example.com.", dns.TypeAAAA, 0, nil},
		{"ns2.gslb.example.com.", dns.TypeMX, 0, nil},
		{"x.ns1.gslb.example.com.", dns.TypeA, dns.RcodeNameError, nil},
		// With ns lines the synthesised name is gone.
		{"ns.dns.gslb.example.com.", dns.TypeA, dns.RcodeNameError, nil},
	} {
		m := serve(t, g, tc.name, tc.qtype)
		if m.Rcode != tc.rcode || !m.Authoritative {
			t.Errorf("%s %s: rcode %d aa %v, want %d", tc.name, dns.TypeToString[tc.qtype], m.Rcode, m.Authoritative, tc.rcode)
		}
		wantRRs(t, tc.name+" "+dns.TypeToString[tc.qtype], m.Answer, tc.want...)
	}
}

func TestSynthesisedNameServerANY(t *testing.T) {
	g := newTestGSLB(t, testConfig())
	m := serve(t, g, "ns.dns.gslb.test.", dns.TypeANY)
	wantRRs(t, "ANY at the name server", m.Answer, "ns.dns.gslb.test. A 127.0.0.1")
	m = serve(t, g, "gslb.test.", dns.TypeANY)
	if len(m.Answer) != 1 || m.Answer[0].Header().Rrtype != dns.TypeSOA {
		t.Errorf("ANY at the apex: %v, want the SOA", m.Answer)
	}
}

func TestWildcardRecords(t *testing.T) {
	g := parsedGSLB(t, `gslb gslb.test {
    pool eu {
        member 192.0.2.10
    }
    pool us {
        member 198.51.100.10
    }
    record *.apps {
        pools eu
    }
    record x.apps {
        pools us
    }
    record www.deep.apps {
        pools us
    }
}`)
	for _, tc := range []struct {
		name  string
		qtype uint16
		rcode int
		want  []string
	}{
		{"tenant.apps.gslb.test.", dns.TypeA, 0, []string{"tenant.apps.gslb.test. A 192.0.2.10"}},
		{"Tenant.APPS.gslb.test.", dns.TypeA, 0, []string{"Tenant.APPS.gslb.test. A 192.0.2.10"}},
		{"a.b.apps.gslb.test.", dns.TypeA, 0, []string{"a.b.apps.gslb.test. A 192.0.2.10"}},
		{"*.apps.gslb.test.", dns.TypeA, 0, []string{"*.apps.gslb.test. A 192.0.2.10"}},
		{"tenant.apps.gslb.test.", dns.TypeMX, 0, nil},
		// An exact name wins, and its own descendants are not the wildcard's.
		{"x.apps.gslb.test.", dns.TypeA, 0, []string{"x.apps.gslb.test. A 198.51.100.10"}},
		{"y.x.apps.gslb.test.", dns.TypeA, dns.RcodeNameError, nil},
		// An empty non-terminal is a name, not a wildcard match.
		{"deep.apps.gslb.test.", dns.TypeA, 0, nil},
		{"z.deep.apps.gslb.test.", dns.TypeA, dns.RcodeNameError, nil},
		{"apps.gslb.test.", dns.TypeA, 0, nil},
		{"other.gslb.test.", dns.TypeA, dns.RcodeNameError, nil},
	} {
		m := serve(t, g, tc.name, tc.qtype)
		if m.Rcode != tc.rcode {
			t.Errorf("%s %s: rcode %d, want %d", tc.name, dns.TypeToString[tc.qtype], m.Rcode, tc.rcode)
		}
		wantRRs(t, tc.name+" "+dns.TypeToString[tc.qtype], m.Answer, tc.want...)
	}
}

// nextZone is CoreDNS's file plugin serving zone text, as g's next plugin.
func nextZone(t *testing.T, g *GSLB, origin, text string) {
	t.Helper()
	z, err := file.Parse(strings.NewReader(text), origin, "stdin", 0)
	if err != nil {
		t.Fatal(err)
	}
	g.Next = file.File{Next: test.NextHandler(nextRcode, nil), Zones: file.Zones{Z: map[string]*file.Zone{origin: z}, Names: []string{origin}}}
}

const fileZone = `$ORIGIN gslb.test.
@ 300 IN SOA ns1.example.net. admin.example.net. 42 7200 3600 1209600 120
@ 300 IN NS ns1.example.net.
mail 300 IN A 192.0.2.25
`

func TestFallthroughOneSOA(t *testing.T) {
	g := parsedGSLB(t, `gslb gslb.test {
    fallthrough
    pool us {
        member 198.51.100.10
    }
    record www.eu {
        pools us
    }
}`)
	nextZone(t, g, "gslb.test.", fileZone)
	g.watchNextSOA()
	defer g.stopNextSOA()
	fileSOA := "gslb.test. SOA ns1.example.net. admin.example.net. 42 7200 3600 1209600 120"
	for _, tc := range []struct {
		name  string
		qtype uint16
		rcode int
		ans   []string
	}{
		{"www.eu.gslb.test.", dns.TypeMX, 0, nil},               // gslb's NODATA
		{"eu.gslb.test.", dns.TypeA, 0, nil},                    // gslb's empty non-terminal, the file's NXDOMAIN made NODATA
		{"nope.gslb.test.", dns.TypeA, dns.RcodeNameError, nil}, // the file's
		{"mail.gslb.test.", dns.TypeMX, 0, nil},                 // the file's NODATA
	} {
		m := serve(t, g, tc.name, tc.qtype)
		if m.Rcode != tc.rcode {
			t.Errorf("%s: rcode %s, want %s", tc.name, dns.RcodeToString[m.Rcode], dns.RcodeToString[tc.rcode])
		}
		wantRRs(t, tc.name+" answer", m.Answer, tc.ans...)
		wantRRs(t, tc.name+" authority", m.Ns, fileSOA)
	}
	// Data the next plugin has at gslb's empty non-terminal still reaches
	// the client, and the apex is the file's.
	g2 := parsedGSLB(t, "gslb gslb.test {\n    fallthrough\n    pool us {\n        member 198.51.100.10\n    }\n    record www.txt.eu {\n        pools us\n    }\n}")
	nextZone(t, g2, "gslb.test.", fileZone+"txt.eu 300 IN TXT \"beside gslb\"\n")
	m := serve(t, g2, "txt.eu.gslb.test.", dns.TypeTXT)
	wantRRs(t, "the file's data at an empty non-terminal of gslb's", m.Answer, `txt.eu.gslb.test. TXT "beside gslb"`)
	m = serve(t, g2, "gslb.test.", dns.TypeSOA)
	wantRRs(t, "apex", m.Answer, fileSOA)
}

func TestFallthroughWithoutNextSOA(t *testing.T) {
	// A next plugin with no SOA of the zone: gslb's own stays.
	g := parsedGSLB(t, "gslb gslb.test {\n    fallthrough\n    pool us {\n        member 198.51.100.10\n    }\n    record www {\n        pools us\n    }\n}")
	g.watchNextSOA()
	defer g.stopNextSOA()
	m := serve(t, g, "www.gslb.test.", dns.TypeMX)
	if len(m.Ns) != 1 || m.Ns[0].(*dns.SOA).Ns != "ns.dns.gslb.test." {
		t.Errorf("authority %v, want gslb's own SOA", m.Ns)
	}
}

func TestHTTPSAnswers(t *testing.T) {
	g := parsedGSLB(t, `gslb gslb.test {
    pool eu {
        member 192.0.2.10
        member 2001:db8::10
    }
    record app {
        pools eu
        https 1 alpn=h3,h2 port=8443 ech=AEn+DQBFKwAgACABWIHUGj4u+PIggYXcR5JF0gYk3dCRioBW8uJq9H4mKAAIAAEAAQABAANAEnB1YmxpYy50bHMtZWNoLmRldgAA
        https 2 alpn=h2
    }
}`)
	m := serve(t, g, "app.gslb.test.", dns.TypeHTTPS)
	if len(m.Answer) != 2 || !m.Authoritative {
		t.Fatalf("answer %v", m.Answer)
	}
	wire, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	back := new(dns.Msg)
	if err := back.Unpack(wire); err != nil {
		t.Fatal(err)
	}
	https := back.Answer[0].(*dns.HTTPS)
	var keys []dns.SVCBKey
	for _, kv := range https.Value {
		keys = append(keys, kv.Key())
	}
	if !slices.IsSorted(keys) || len(keys) != 5 {
		t.Errorf("keys %v, want alpn port ipv4hint ech ipv6hint in ascending order", keys)
	}
	text := https.String()
	for _, want := range []string{"1 . ", `alpn="h3,h2"`, "port=\"8443\"", `ipv4hint="192.0.2.10"`, `ipv6hint="2001:db8::10"`, "ech="} {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %s", text, want)
		}
	}
	if hint := https.Value[2].(*dns.SVCBIPv4Hint).Hint; !hint[0].Equal(net.ParseIP("192.0.2.10")) {
		t.Errorf("ipv4hint %v", hint)
	}
	if m := serve(t, g, "app.gslb.test.", dns.TypeSVCB); len(m.Answer) != 0 || len(m.Ns) != 1 {
		t.Errorf("SVCB without svcb lines: %v, want NODATA", m.Answer)
	}
}

func TestCNAMEAnswers(t *testing.T) {
	g := parsedGSLB(t, `gslb gslb.test {
    pool aws {
        member nlb-1.elb.example.net
    }
    record www {
        pools aws
    }
}`)
	for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA, dns.TypeMX, dns.TypeHTTPS, dns.TypeCNAME, dns.TypeANY} {
		m := serve(t, g, "www.gslb.test.", qtype)
		wantRRs(t, dns.TypeToString[qtype], m.Answer, "www.gslb.test. CNAME nlb-1.elb.example.net.")
	}
}
