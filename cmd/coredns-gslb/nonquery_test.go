package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// nonQueryCorefile: on the first port, chaos opens the other classes to
// the plugins (CoreDNS refuses them itself otherwise; the zone bind. is
// there to show that chaos's names are answered) and dynupdate lets
// UPDATE through to the block's plugins; gslb owns gslb.test. On the
// second, gslb falls through to a zone file that transfer hands out.
const nonQueryCorefile = `gslb.test:1053 dyn.test:1053 bind:1053 {
    bind 127.0.0.1
    chaos
    gslb gslb.test {
        pool p {
            member 192.0.2.1
        }
        record app {
            pools p
        }
    }
    dynupdate dyn.test {
        file %[1]s/db.dyn.test
        allow key.test. * *
    }
}
xfr.test:1054 {
    bind 127.0.0.1
    gslb {
        fallthrough
        pool p {
            member 192.0.2.1
        }
        record app {
            pools p
        }
    }
    transfer {
        to *
    }
    file %[1]s/db.xfr.test
}
`

// TestNotStandardQueriesServed: what the built server answers to
// messages other than standard IN queries for gslb's names.
func TestNotStandardQueriesServed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, zone := range []string{"dyn.test", "xfr.test"} {
		if err := os.WriteFile(filepath.Join(dir, "db."+zone), fmt.Appendf(nil, zoneFile, zone), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := startServer(t, fmt.Sprintf(nonQueryCorefile, dir))
	xfr := s.at(keyAddr(s.Blocks[1].Keys[0]))

	msg := func(opcode int, qname string, qtype, qclass uint16) *dns.Msg {
		m := new(dns.Msg)
		m.SetQuestion(qname, qtype)
		m.Opcode = opcode
		m.Question[0].Qclass = qclass
		return m
	}
	update := func(zone string) *dns.Msg {
		m := new(dns.Msg)
		m.SetUpdate(zone)
		rr, _ := dns.NewRR("new." + zone + " 30 IN A 192.0.2.99")
		m.Insert([]dns.RR{rr})
		return m
	}
	rcodeIs := func(want int) func(*testing.T, *dns.Msg) {
		return func(t *testing.T, m *dns.Msg) {
			t.Helper()
			if m.Rcode != want || len(m.Answer) != 0 {
				t.Errorf("rcode %s, answer %v: want %s and no answer", dns.RcodeToString[m.Rcode], m.Answer, dns.RcodeToString[want])
			}
		}
	}
	tests := []struct {
		name  string
		s     *server
		netw  string
		m     *dns.Msg
		check func(*testing.T, *dns.Msg)
	}{
		{"CH reaches the plugins with chaos", s, "udp", msg(dns.OpcodeQuery, "version.bind.", dns.TypeTXT, dns.ClassCHAOS), func(t *testing.T, m *dns.Msg) {
			if m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 {
				t.Errorf("%v: want chaos's answer", m)
			}
		}},
		{"CH", s, "udp", msg(dns.OpcodeQuery, "app.gslb.test.", dns.TypeA, dns.ClassCHAOS), rcodeIs(dns.RcodeRefused)},
		{"HS", s, "udp", msg(dns.OpcodeQuery, "app.gslb.test.", dns.TypeA, dns.ClassHESIOD), rcodeIs(dns.RcodeRefused)},
		{"NONE", s, "udp", msg(dns.OpcodeQuery, "app.gslb.test.", dns.TypeA, dns.ClassNONE), rcodeIs(dns.RcodeRefused)},
		{"CH at the apex", s, "tcp", msg(dns.OpcodeQuery, "gslb.test.", dns.TypeSOA, dns.ClassCHAOS), rcodeIs(dns.RcodeRefused)},
		{"class ANY is IN", s, "udp", msg(dns.OpcodeQuery, "app.gslb.test.", dns.TypeA, dns.ClassANY), answer(dns.TypeA, "192.0.2.1")},
		{"NOTIFY", s, "udp", msg(dns.OpcodeNotify, "gslb.test.", dns.TypeSOA, dns.ClassINET), rcodeIs(dns.RcodeNotImplemented)},
		{"UPDATE", s, "udp", update("gslb.test."), rcodeIs(dns.RcodeNotImplemented)},
		{"UPDATE over TCP", s, "tcp", update("gslb.test."), rcodeIs(dns.RcodeNotImplemented)},
		{"UPDATE reaches dynupdate", s, "udp", update("dyn.test."), func(t *testing.T, m *dns.Msg) {
			if m.Rcode == dns.RcodeNotImplemented || m.Rcode == dns.RcodeSuccess {
				t.Errorf("unsigned UPDATE to dynupdate's zone: %s, want its refusal", dns.RcodeToString[m.Rcode])
			}
		}},
		{"AXFR", s, "tcp", msg(dns.OpcodeQuery, "gslb.test.", dns.TypeAXFR, dns.ClassINET), rcodeIs(dns.RcodeRefused)},
		{"IXFR", s, "tcp", msg(dns.OpcodeQuery, "gslb.test.", dns.TypeIXFR, dns.ClassINET), rcodeIs(dns.RcodeRefused)},
		{"AXFR over UDP", s, "udp", msg(dns.OpcodeQuery, "gslb.test.", dns.TypeAXFR, dns.ClassINET), rcodeIs(dns.RcodeRefused)},
		{"AXFR of a record", xfr, "tcp", msg(dns.OpcodeQuery, "app.xfr.test.", dns.TypeAXFR, dns.ClassINET), rcodeIs(dns.RcodeRefused)},
		{"CH without chaos or forward: CoreDNS refuses", xfr, "udp", msg(dns.OpcodeQuery, "app.xfr.test.", dns.TypeA, dns.ClassCHAOS), rcodeIs(dns.RcodeRefused)},
		{"an ordinary query still answered", s, "udp", msg(dns.OpcodeQuery, "app.gslb.test.", dns.TypeA, dns.ClassINET), answer(dns.TypeA, "192.0.2.1")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, tc.s.exchange(t, tc.netw, tc.m))
		})
	}

	// With fallthrough over the apex, the zone file's transfer goes out.
	t.Run("AXFR passed down to transfer", func(t *testing.T) {
		tr := &dns.Transfer{DialTimeout: 2 * time.Second, ReadTimeout: 5 * time.Second}
		env, err := tr.In(msg(dns.OpcodeQuery, "xfr.test.", dns.TypeAXFR, dns.ClassINET), xfr.Addr)
		if err != nil {
			t.Fatal(err)
		}
		var rrs []dns.RR
		for e := range env {
			if e.Error != nil {
				t.Fatal(e.Error)
			}
			rrs = append(rrs, e.RR...)
		}
		soa, ok := rrs[0].(*dns.SOA)
		if len(rrs) < 3 || !ok || soa.Ns != "ns.file.xfr.test." {
			t.Fatalf("transfer %v, want the zone file's", rrs)
		}
	})
}
