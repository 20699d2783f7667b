package main

import (
	"testing"

	"github.com/miekg/dns"
)

// e2eCorefile serves gslb.test. The stanza TTL is long on purpose: the
// SOA's TTL and MINIMUM must still be capped at 30.
const e2eCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    gslb {
        ttl 300
        pool eu {
            member 192.0.2.10
            member 192.0.2.11
            member 2001:db8::10
        }
        pool us {
            member 198.51.100.10
            member 2001:db8:1::10
        }
        pool v4 {
            member 203.0.113.1
        }
        pool quad {
            member 203.0.113.11
            member 203.0.113.12
            member 203.0.113.13
            member 203.0.113.14
        }
        pool uneven {
            member 198.51.100.20 weight 3
            member 198.51.100.21
        }
        pool nine {
            weight 9
            member 192.0.2.90
        }
        pool one {
            weight 1
            member 192.0.2.91
        }
        record app {
            policy failover
            pools eu us
            answers 8
        }
        record v4only www.eu {
            pools v4
            ttl 20
        }
        record shift {
            policy weighted
            pools nine one
        }
        record spread {
            pools uneven
            answers 1
        }
        record two {
            pools quad
            answers 2
        }
        record sticky {
            pools quad
            select hash
        }
        record random {
            pools quad
        }
    }
}
`

func TestAnswers(t *testing.T) {
	t.Parallel()
	s := startServer(t, e2eCorefile)
	tests := []struct {
		name  string
		qname string
		qtype uint16
		edns  bool
		check func(*testing.T, *dns.Msg)
	}{
		{"A of the first pool", "app.gslb.test.", dns.TypeA, false, addresses(300, "192.0.2.10", "192.0.2.11")},
		{"AAAA of the first pool", "app.gslb.test.", dns.TypeAAAA, false, addresses(300, "2001:db8::10")},
		{"A with EDNS0", "app.gslb.test.", dns.TypeA, true, addresses(300, "192.0.2.10", "192.0.2.11")},
		{"case preserved", "ApP.GsLb.TeSt.", dns.TypeA, false, addresses(300, "192.0.2.10", "192.0.2.11")},
		{"record ttl", "v4only.gslb.test.", dns.TypeA, false, addresses(20, "203.0.113.1")},
		{"AAAA of an IPv4-only record", "v4only.gslb.test.", dns.TypeAAAA, false, negative(dns.RcodeSuccess)},
		{"AAAA of an IPv4-only record, EDNS0", "v4only.gslb.test.", dns.TypeAAAA, true, negative(dns.RcodeSuccess)},
		{"MX of a record", "app.gslb.test.", dns.TypeMX, false, negative(dns.RcodeSuccess)},
		{"TXT of a record", "app.gslb.test.", dns.TypeTXT, false, negative(dns.RcodeSuccess)},
		{"HTTPS of a record", "app.gslb.test.", dns.TypeHTTPS, false, negative(dns.RcodeSuccess)},
		{"empty non-terminal A", "eu.gslb.test.", dns.TypeA, false, negative(dns.RcodeSuccess)},
		{"empty non-terminal AAAA", "Eu.Gslb.Test.", dns.TypeAAAA, true, negative(dns.RcodeSuccess)},
		{"name below the empty non-terminal", "www.eu.gslb.test.", dns.TypeA, false, addresses(20, "203.0.113.1")},
		{"A at the apex", "gslb.test.", dns.TypeA, false, negative(dns.RcodeSuccess)},
		{"unknown name", "nope.gslb.test.", dns.TypeA, false, negative(dns.RcodeNameError)},
		{"unknown name, EDNS0", "nope.gslb.test.", dns.TypeAAAA, true, negative(dns.RcodeNameError)},
		{"below a record", "x.app.gslb.test.", dns.TypeA, false, negative(dns.RcodeNameError)},
		{"SOA at the apex", "gslb.test.", dns.TypeSOA, false, apexSOA},
		{"SOA at the apex, EDNS0", "GSLB.test.", dns.TypeSOA, true, apexSOA},
		{"NS at the apex", "gslb.test.", dns.TypeNS, false, apexNS},
		{"A of the name server", "ns.dns.gslb.test.", dns.TypeA, false, addresses(300, "127.0.0.1")},
		{"AAAA of the name server", "ns.dns.gslb.test.", dns.TypeAAAA, false, negative(dns.RcodeSuccess)},
	}
	for _, tc := range tests {
		for _, netw := range []string{"udp", "tcp"} {
			t.Run(tc.name+"/"+netw, func(t *testing.T) {
				m := s.query(t, netw, tc.qname, tc.qtype, tc.edns)
				if !m.Authoritative {
					t.Errorf("AA bit not set")
				}
				if q := m.Question; len(q) != 1 || q[0].Name != tc.qname || q[0].Qtype != tc.qtype {
					t.Errorf("question section %v, want %s %s exactly as asked", q, tc.qname, dns.TypeToString[tc.qtype])
				}
				if got := m.IsEdns0() != nil; got != tc.edns {
					t.Errorf("reply has OPT: %v, want %v (the query had OPT: %v)", got, tc.edns, tc.edns)
				}
				if bad := outsideTestNets(m); len(bad) > 0 {
					t.Errorf("addresses %v outside the documentation and loopback ranges", bad)
				}
				tc.check(t, m)
				if t.Failed() {
					t.Logf("reply:\n%s", m)
				}
			})
		}
	}
}
