package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// dnssecCorefile is a signed zone: %[1]s is the dnssec block's key lines.
// Its members are answer data only: nothing probes them.
const dnssecCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    gslb {
        ttl 30
        soa {
            serial 1
        }
%[1]s        pool eu {
            member 192.0.2.10
            member 2001:db8::10
        }
        pool us {
            member 198.51.100.10
        }
        record app {
            pools eu us
        }
        record *.apps {
            pools us
        }
        record svc {
            pools eu
            https 1 alpn=h2
        }
        record geo {
            policy geo
            pools us eu
            route eu net 127.0.12.0/24
        }
    }
}
`

// dnssecKeys is the dnssec block of the key files at bases.
func dnssecKeys(bases ...string) string {
	return "        dnssec {\n            key file " + strings.Join(bases, " ") + "\n        }\n"
}

// TestDNSSECValidates has Unbound validate gslb's answers with the zone's
// trust anchor, for every kind of answer, with a CSK (ECDSA P-256) and with
// a KSK and ZSK (Ed25519), both made by dnssec-keygen: each is secure (AD).
// Behind the resolver's back, another key: every answer is bogus
// (SERVFAIL).
func TestDNSSECValidates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	csk, cskKey := keygen(t, dir, "gslb.test.", "ECDSAP256SHA256", true)
	ksk, kskKey := keygen(t, dir, "gslb.test.", "ED25519", true)
	zsk, _ := keygen(t, dir, "gslb.test.", "ED25519", false)
	for _, tc := range []struct {
		name   string
		keys   []string
		anchor *dns.DNSKEY
	}{
		{"csk", []string{csk}, cskKey},
		{"ksk+zsk", []string{ksk, zsk}, kskKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, fmt.Sprintf(dnssecCorefile, dnssecKeys(tc.keys...)))
			u := startValidator(t, "gslb.test.", s.Addr, trustAnchor(t, tc.anchor))
			for _, q := range []struct {
				name   string
				qtype  uint16
				subnet string
				answer bool
			}{
				{"app.gslb.test.", dns.TypeA, "", true},
				{"app.gslb.test.", dns.TypeAAAA, "", true},
				{"app.gslb.test.", dns.TypeTXT, "", false},  // NODATA
				{"nope.gslb.test.", dns.TypeA, "", false},   // no such name
				{"gslb.test.", dns.TypeSOA, "", true},       // the apex
				{"gslb.test.", dns.TypeNS, "", true},        //
				{"gslb.test.", dns.TypeDNSKEY, "", true},    //
				{"gslb.test.", dns.TypeA, "", false},        // the apex has no address
				{"x.apps.gslb.test.", dns.TypeA, "", true},  // a wildcard's
				{"svc.gslb.test.", dns.TypeHTTPS, "", true}, // HTTPS
				{"geo.gslb.test.", dns.TypeA, "127.0.12.0/24", true},
				{"geo.gslb.test.", dns.TypeA, "127.0.13.0/24", true},
			} {
				r := u.askValidated(t, q.name, q.qtype, q.subnet)
				what := fmt.Sprintf("%s %s %s", q.name, dns.TypeToString[q.qtype], q.subnet)
				if r.Rcode != dns.RcodeSuccess && !(q.name == "nope.gslb.test." && r.Rcode == dns.RcodeNameError) {
					t.Errorf("%s: %s, want NOERROR\n%v", what, dns.RcodeToString[r.Rcode], r)
					continue
				}
				if !r.AuthenticatedData {
					t.Errorf("%s: not validated (no AD)\n%v", what, r)
				}
				if got := len(r.Answer) > 0; got != q.answer {
					t.Errorf("%s: answer %v, want an answer %v", what, r.Answer, q.answer)
				}
			}
			// The ECS route holds through the signing: the eu subnet gets eu.
			if r := u.askValidated(t, "geo.gslb.test.", dns.TypeA, "127.0.12.0/24"); len(r.Answer) == 0 || r.Answer[0].(*dns.A).A.String() != "192.0.2.10" {
				t.Errorf("geo for the eu subnet: %v, want eu's 192.0.2.10", r.Answer)
			}
			if r := u.askValidated(t, "geo.gslb.test.", dns.TypeA, "127.0.13.0/24"); len(r.Answer) == 0 || r.Answer[0].(*dns.A).A.String() != "198.51.100.10" {
				t.Errorf("geo for another subnet: %v, want us's 198.51.100.10", r.Answer)
			}

			// A resolver trusting another key finds every answer bogus.
			otherBase, other := keygen(t, t.TempDir(), "gslb.test.", "ECDSAP256SHA256", true)
			bogus := startValidator(t, "gslb.test.", s.Addr, trustAnchor(t, other))
			for _, name := range []string{"app.gslb.test.", "nope.gslb.test."} {
				if r := bogus.askValidated(t, name, dns.TypeA, ""); r.Rcode != dns.RcodeServerFailure {
					t.Errorf("%s A with another key as the anchor: %s, want SERVFAIL (bogus)", name, dns.RcodeToString[r.Rcode])
				}
			}
			// The key swapped behind the first resolver's back: gslb restarts
			// on the same port signing with the other key; what the resolver
			// has not cached yet is bogus.
			path := s.corefilePath(t)
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			swapped := strings.Replace(string(text), strings.Join(tc.keys, " "), otherBase, 1)
			if err := os.WriteFile(path, []byte(swapped), 0o644); err != nil {
				t.Fatal(err)
			}
			s.kill(t)
			s.relaunch(t, path)
			if r := u.askValidated(t, "fresh.apps.gslb.test.", dns.TypeA, ""); r.Rcode != dns.RcodeServerFailure {
				t.Errorf("after the key was swapped: %s, want SERVFAIL (bogus)\n%v", dns.RcodeToString[r.Rcode], r)
			}
		})
	}
}

// TestDNSSECDelv has BIND's delv validate answers straight from gslb, with
// the zone's trust anchor: it asks the server itself for the DNSKEYs and
// checks every signature.
func TestDNSSECDelv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base, key := keygen(t, dir, "gslb.test.", "ED25519", true)
	// Two instances with the same key: nothing is shared between them, and
	// each one's answers verify alike.
	servers := []*server{startServer(t, fmt.Sprintf(dnssecCorefile, dnssecKeys(base))), startServer(t, fmt.Sprintf(dnssecCorefile, dnssecKeys(base)))}
	ds := key.ToDS(dns.SHA256)
	anchors := filepath.Join(dir, "anchors.conf")
	text := fmt.Sprintf("trust-anchors {\n    gslb.test. static-ds %d %d %d \"%s\";\n};\n", ds.KeyTag, ds.Algorithm, ds.DigestType, ds.Digest)
	if err := os.WriteFile(anchors, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range servers {
		host, port, err := net.SplitHostPort(s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range [][2]string{{"app.gslb.test", "A"}, {"app.gslb.test", "TXT"}, {"nope.gslb.test", "A"}, {"gslb.test", "SOA"}, {"x.apps.gslb.test", "AAAA"}} {
			out, err := exec.Command("delv", "@"+host, "-p", port, "-a", anchors, "+root=gslb.test", q[0], q[1]).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "; fully validated") && !strings.Contains(string(out), "; negative response, fully validated") {
				t.Errorf("%s: delv %s %s: %v\n%s", s.Addr, q[0], q[1], err, out)
			}
		}
	}
}
