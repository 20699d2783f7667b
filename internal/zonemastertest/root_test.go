package zonemastertest

import (
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// The stand-in root answers as a root and a parent zone do: Zonemaster's
// walk from the hints down to the zone depends on each of these answers.
func TestRoot(t *testing.T) {
	addr := Addrs(t, 1)[0]
	ns := map[string]string{"ns1.gslb.example.com.": "127.0.0.1", "ns.elsewhere.test.": "127.0.0.2"}
	newRoot(t, "gslb.example.com.", addr, ns).serve(t, addr)
	for _, c := range []struct {
		name          string
		qtype         uint16
		rcode         int
		aa            bool
		answer, ns    int // records in the answer and authority sections
		extra         int // glue, beside any OPT
		netw, comment string
	}{
		{".", dns.TypeNS, dns.RcodeSuccess, true, 1, 0, 0, "udp", "the root's NS"},
		{"ns.root.test.", dns.TypeA, dns.RcodeSuccess, true, 1, 0, 0, "tcp", "the root's name server address"},
		{"root.test.", dns.TypeA, dns.RcodeSuccess, true, 0, 1, 0, "udp", "an empty non-terminal: NODATA"},
		{"zonemaster.net.", dns.TypeNS, dns.RcodeNameError, true, 0, 1, 0, "udp", "the ASN source: NXDOMAIN"},
		{"example.com.", dns.TypeSOA, dns.RcodeSuccess, true, 1, 0, 0, "udp", "the parent's SOA"},
		{"example.com.", dns.TypeMX, dns.RcodeSuccess, true, 0, 1, 0, "udp", "the parent has no MX: NODATA"},
		{"www.gslb.example.com.", dns.TypeA, dns.RcodeSuccess, false, 0, 2, 1, "tcp", "a referral, in-zone glue only"},
		{"GSLB.example.com.", dns.TypeSOA, dns.RcodeSuccess, false, 0, 2, 1, "udp", "a referral at the cut"},
		{"gslb.example.com.", dns.TypeDS, dns.RcodeSuccess, true, 0, 1, 0, "udp", "the parent answers DS: none"},
		{"other.example.com.", dns.TypeA, dns.RcodeNameError, true, 0, 1, 0, "udp", "NXDOMAIN in the parent"},
	} {
		m := new(dns.Msg)
		m.SetQuestion(c.name, c.qtype)
		m.SetEdns0(1232, false)
		cl := dns.Client{Net: c.netw, Timeout: 2 * time.Second}
		r, _, err := cl.Exchange(m, net.JoinHostPort(addr, "53"))
		if err != nil {
			t.Fatalf("%s %s: %v", c.name, dns.TypeToString[c.qtype], err)
		}
		extra := len(r.Extra)
		if r.IsEdns0() != nil {
			extra--
		}
		if r.Rcode != c.rcode || r.Authoritative != c.aa || len(r.Answer) != c.answer || len(r.Ns) != c.ns || extra != c.extra {
			t.Errorf("%s (%s %s):\n%v\nwant rcode %s, aa %v, %d answers, %d authority, %d glue",
				c.comment, c.name, dns.TypeToString[c.qtype], r, dns.RcodeToString[c.rcode], c.aa, c.answer, c.ns, c.extra)
		}
	}
}
