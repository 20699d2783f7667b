package hostname

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func addrs(ss ...string) []netip.Addr {
	as := make([]netip.Addr, len(ss))
	for i, s := range ss {
		as[i] = netip.MustParseAddr(s)
	}
	return as
}

func reply(t *testing.T, rcode int, answer []string, ns ...string) *dns.Msg {
	t.Helper()
	m := &dns.Msg{MsgHdr: dns.MsgHdr{Rcode: rcode}}
	for i, section := range [][]string{answer, ns} {
		for _, s := range section {
			rr, err := dns.NewRR(s)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				m.Answer = append(m.Answer, rr)
			} else {
				m.Ns = append(m.Ns, rr)
			}
		}
	}
	return m
}

// Only addresses on the chain from the name count, whatever the case of
// their owners; a CNAME loop ends; the least TTL on the way counts.
func TestChainAddrs(t *testing.T) {
	m := reply(t, dns.RcodeSuccess, []string{
		"other.example.net. 5 IN A 203.0.113.1", // not on the chain
		"App.Example.Net. 300 IN CNAME lb.example.net.",
		"lb.example.net. 120 IN CNAME loop.example.net.",
		"loop.example.net. 200 IN CNAME LB.example.net.",
		"LOOP.example.net. 100 IN A 192.0.2.2",
		"lb.example.net. 400 IN A 192.0.2.1",
		"lb.example.net. 400 IN AAAA 2001:db8::1", // not the type asked
	})
	got, ttl := chainAddrs(m, "app.example.net.", dns.TypeA)
	if !slices.Equal(got, addrs("192.0.2.2", "192.0.2.1")) || ttl != 100 {
		t.Errorf("chainAddrs = %v, TTL %d; want 192.0.2.2 and 192.0.2.1, TTL 100", got, ttl)
	}
}

func TestRead(t *testing.T) {
	tm := defaultTiming
	soa := "example.net. 600 IN SOA ns.example.net. hostmaster.example.net. 1 60 60 60 %d"
	for _, tc := range []struct {
		name  string
		m     *dns.Msg
		want  answer
		addrs []netip.Addr
	}{
		{"addresses", reply(t, dns.RcodeSuccess, []string{"a.example.net. 0 IN A 192.0.2.1"}), answer{ttl: time.Second}, addrs("192.0.2.1")},
		{"long TTL", reply(t, dns.RcodeSuccess, []string{"a.example.net. 86400 IN A 192.0.2.1"}), answer{ttl: time.Hour}, addrs("192.0.2.1")},
		{"NODATA", reply(t, dns.RcodeSuccess, nil, fmt.Sprintf(soa, 30)), answer{ttl: 30 * time.Second}, nil},
		{"NODATA long", reply(t, dns.RcodeSuccess, nil, fmt.Sprintf(soa, 3600)), answer{ttl: 5 * time.Minute}, nil},
		{"NXDOMAIN", reply(t, dns.RcodeNameError, nil, fmt.Sprintf(soa, 900)), answer{rcode: dns.RcodeNameError, ttl: 5 * time.Minute}, nil},
		{"NXDOMAIN no SOA", reply(t, dns.RcodeNameError, nil), answer{rcode: dns.RcodeNameError, ttl: 5 * time.Second}, nil},
		{"SERVFAIL", reply(t, dns.RcodeServerFailure, nil), answer{err: "SERVFAIL"}, nil},
		{"REFUSED", reply(t, dns.RcodeRefused, nil), answer{err: "REFUSED"}, nil},
	} {
		got := tm.read(tc.m, "a.example.net.", dns.TypeA)
		if !slices.Equal(got.addrs, tc.addrs) || got.ttl != tc.want.ttl || got.rcode != tc.want.rcode || got.err != tc.want.err {
			t.Errorf("%s: read = %+v, want %+v with %v", tc.name, got, tc.want, tc.addrs)
		}
	}
}

func TestBackoff(t *testing.T) {
	tm := defaultTiming
	var got []time.Duration
	for n := 1; n <= 8; n++ {
		got = append(got, tm.backoff(n))
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for i := range want {
		want[i] *= time.Second
	}
	if !slices.Equal(got, want) {
		t.Errorf("backoff = %v, want %v", got, want)
	}
}
