package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// zoneFile is an RFC 1035 zone that `file` serves beside gslb. Its SOA
// names ns.file.ZONE, so a reply shows which plugin wrote it.
const zoneFile = `$ORIGIN %[1]s.
@       30 IN SOA ns.file hostmaster.file 1 7200 3600 1209600 30
@       30 IN NS  ns.file
ns.file 30 IN A   127.0.0.1
static  30 IN A   203.0.113.5
a.sub   30 IN A   203.0.113.6
`

// gslbBesideFile is a server block for zone with gslb (its FALLTHROUGH line
// as given) and file. %[2]s is the directory of the zone files.
const gslbBesideFile = `%[1]s:1053 {
    bind 127.0.0.1
    gslb {
        %[3]s
        pool p {
            member 192.0.2.1
        }
        record app {
            pools p
        }
        record x.ent {
            pools p
        }
    }
    file %[2]s/db.%[1]s
}
`

func TestFallthrough(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	blocks := map[string]string{
		"all.test":  "fallthrough",
		"none.test": "# no fallthrough",
		"list.test": "fallthrough sub.list.test",
	}
	var corefile strings.Builder
	for zone, line := range blocks {
		if err := os.WriteFile(filepath.Join(dir, "db."+zone), fmt.Appendf(nil, zoneFile, zone), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&corefile, gslbBesideFile, zone, dir, line)
	}
	corefile.WriteString(`other.test:1053 {
    bind 127.0.0.1
    hosts {
        203.0.113.9 host.other.test
    }
}
`)
	s := startServer(t, corefile.String())

	gslbA := answer(dns.TypeA, "192.0.2.1")
	tests := []struct {
		qname string
		qtype uint16
		check func(*testing.T, *dns.Msg)
	}{
		{"app.all.test.", dns.TypeA, gslbA},
		// One zone, one SOA: gslb's NODATA carries the file's.
		{"app.all.test.", dns.TypeAAAA, negativeFrom(dns.RcodeSuccess, "ns.file.all.test.")},
		// gslb's empty non-terminal: the file's NXDOMAIN becomes NODATA.
		{"ent.all.test.", dns.TypeA, negativeFrom(dns.RcodeSuccess, "ns.file.all.test.")},
		{"x.ent.all.test.", dns.TypeA, gslbA},
		{"static.all.test.", dns.TypeA, answer(dns.TypeA, "203.0.113.5")},
		{"a.sub.all.test.", dns.TypeA, answer(dns.TypeA, "203.0.113.6")},
		{"nope.all.test.", dns.TypeA, negativeFrom(dns.RcodeNameError, "ns.file.all.test.")},

		{"app.none.test.", dns.TypeA, gslbA},
		{"static.none.test.", dns.TypeA, negativeFrom(dns.RcodeNameError, "ns.dns.none.test.")},
		{"a.sub.none.test.", dns.TypeA, negativeFrom(dns.RcodeNameError, "ns.dns.none.test.")},
		{"ent.none.test.", dns.TypeA, negativeFrom(dns.RcodeSuccess, "ns.dns.none.test.")},

		{"app.list.test.", dns.TypeA, gslbA},
		{"a.sub.list.test.", dns.TypeA, answer(dns.TypeA, "203.0.113.6")},
		{"static.list.test.", dns.TypeA, negativeFrom(dns.RcodeNameError, "ns.dns.list.test.")},
		{"nope.list.test.", dns.TypeA, negativeFrom(dns.RcodeNameError, "ns.dns.list.test.")},
		{"ent.list.test.", dns.TypeA, negativeFrom(dns.RcodeSuccess, "ns.dns.list.test.")},

		{"host.other.test.", dns.TypeA, answer(dns.TypeA, "203.0.113.9")},
		{"app.other.test.", dns.TypeA, func(t *testing.T, m *dns.Msg) {
			if len(m.Answer) != 0 || m.Rcode == dns.RcodeSuccess {
				t.Errorf("rcode %s, answer %v: want no answer, gslb is not in this block", dns.RcodeToString[m.Rcode], m.Answer)
			}
		}},
	}
	for _, tc := range tests {
		for _, netw := range []string{"udp", "tcp"} {
			t.Run(tc.qname+dns.TypeToString[tc.qtype]+"/"+netw, func(t *testing.T) {
				m := s.query(t, netw, tc.qname, tc.qtype, false)
				tc.check(t, m)
				if t.Failed() {
					t.Logf("reply:\n%s", m)
				}
			})
		}
	}
}

// answer checks an authoritative NOERROR with exactly the want addresses.
func answer(qtype uint16, want ...string) func(*testing.T, *dns.Msg) {
	return func(t *testing.T, m *dns.Msg) {
		t.Helper()
		if m.Rcode != dns.RcodeSuccess || !m.Authoritative {
			t.Errorf("rcode %s, AA %v: want NOERROR, AA", dns.RcodeToString[m.Rcode], m.Authoritative)
		}
		if got := addrs(m); len(got) != len(m.Answer) || !sameSet(got, want) || m.Answer[0].Header().Rrtype != qtype {
			t.Errorf("answer %v, want %s %v", m.Answer, dns.TypeToString[qtype], want)
		}
	}
}

// negativeFrom checks an authoritative negative answer whose SOA names
// primary, the name server of the plugin that should have written it.
func negativeFrom(rcode int, primary string) func(*testing.T, *dns.Msg) {
	return func(t *testing.T, m *dns.Msg) {
		t.Helper()
		if m.Rcode != rcode || !m.Authoritative || len(m.Answer) != 0 {
			t.Errorf("rcode %s, AA %v, answer %v: want %s, AA, no answer", dns.RcodeToString[m.Rcode], m.Authoritative, m.Answer, dns.RcodeToString[rcode])
		}
		if !slices.ContainsFunc(m.Ns, func(rr dns.RR) bool {
			soa, ok := rr.(*dns.SOA)
			return ok && soa.Ns == primary
		}) {
			t.Errorf("authority section %v, want a SOA naming %s", m.Ns, primary)
		}
	}
}

// TestOneSOAFollowsTheZoneFile: gslb's negative answers carry the SOA the
// file plugin serves now, a new serial included, within the file's reload
// and gslb's poll of it.
func TestOneSOAFollowsTheZoneFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "db.gslb.test")
	write := func(serial int) {
		text := strings.Replace(fmt.Sprintf(zoneFile, "gslb.test"), "hostmaster.file 1 ", fmt.Sprintf("hostmaster.file %d ", serial), 1)
		if err := os.WriteFile(db, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(1)
	s := startServer(t, fmt.Sprintf(`gslb.test:1053 {
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
    file %s {
        reload 1s
    }
}
`, db))
	serial := func() uint32 {
		m := s.query(t, "udp", "app.gslb.test.", dns.TypeMX, false)
		if len(m.Ns) != 1 {
			t.Fatalf("authority %v, want one SOA", m.Ns)
		}
		return m.Ns[0].(*dns.SOA).Serial
	}
	if got := serial(); got != 1 {
		t.Fatalf("serial %d, want the file's 1 at once", got)
	}
	write(2)
	eventually(t, "gslb's NODATA carries the file's new serial", 15*time.Second, func() bool { return serial() == 2 })
}
