package hostname

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/poll"
)

// A name that does not exist, or has neither A nor AAAA records, has no
// addresses, and Err says so.
func TestNameThatDoesNotResolve(t *testing.T) {
	f := startFake(t, "txt.example.net. 60 IN TXT \"no addresses\"")
	r := newTestRegistry()
	l := acquire(t, r, f.addr, nil, "nlb.example.net.", "txt.example.net.")
	waitFirst(t, l)
	for name, want := range map[string]string{
		"nlb.example.net.": "host name nlb.example.net does not resolve: NXDOMAIN from " + f.addr,
		"txt.example.net.": "host name txt.example.net does not resolve: no A or AAAA records (NODATA) from " + f.addr,
	} {
		if res := l.Lookup(name); len(res.Addrs) != 0 || res.Err != want || res.Stale {
			t.Errorf("Lookup(%s) = %+v, want no addresses and %q", name, res, want)
		}
	}
}

// A name that stops existing loses its addresses at once: NXDOMAIN is an
// answer about the name, not a failure of the server.
func TestNameGoneLosesAddresses(t *testing.T) {
	f := startFake(t, "nlb.example.net. 0 IN A 192.0.2.1")
	r := newTestRegistry()
	l := acquire(t, r, f.addr, nil, "nlb.example.net.")
	waitFirst(t, l)
	f.set()
	poll.Until(t, "NXDOMAIN", 10*time.Second, func() bool { return strings.Contains(l.Lookup("nlb.example.net.").Err, "NXDOMAIN") })
	if res := l.Lookup("nlb.example.net."); len(res.Addrs) != 0 || res.Stale {
		t.Errorf("Lookup = %+v, want no addresses, not stale", res)
	}
}

// When the server stops answering after a good answer, the addresses are
// kept, Stale, with the failure in Err; once it answers again, its new
// answer counts.
func TestStaleWhileServerFails(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rcode int
		drop  bool
		err   string
	}{
		{"silent", dns.RcodeSuccess, true, "timeout"},
		{"SERVFAIL", dns.RcodeServerFailure, false, "SERVFAIL"},
		{"REFUSED", dns.RcodeRefused, false, "REFUSED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := startFake(t, "nlb.example.net. 0 IN A 192.0.2.1")
			r := newTestRegistry()
			if tc.drop {
				r.timeout = 200 * time.Millisecond // each silent query waits it out
			}
			changed, calls := counter()
			l := acquire(t, r, f.addr, changed, "nlb.example.net.")
			waitFirst(t, l)
			f.fail(tc.rcode, tc.drop)
			poll.Until(t, "stale", 10*time.Second, func() bool { return l.Lookup("nlb.example.net.").Stale })
			res := l.Lookup("nlb.example.net.")
			want := "host name nlb.example.net: A and AAAA queries: " + tc.err + " from " + f.addr
			if !slices.Equal(res.Addrs, addrs("192.0.2.1")) || res.Err != want || !res.Expires.Before(time.Now()) {
				t.Fatalf("Lookup = %+v, want the last addresses, expired, and %q", res, want)
			}
			poll.Until(t, "changed for the failure", 5*time.Second, func() bool { return calls.Load() >= 2 })
			n := calls.Load()
			seen := len(f.queries("nlb.example.net.", dns.TypeA, false))
			poll.Until(t, "retries", 10*time.Second, func() bool { return len(f.queries("nlb.example.net.", dns.TypeA, false)) >= seen+2 })
			if now := calls.Load(); now != n {
				t.Errorf("changed called %d more times for the same failure repeated, want none", now-n)
			}

			f.set("nlb.example.net. 0 IN A 192.0.2.2")
			f.fail(dns.RcodeSuccess, false)
			poll.Until(t, "recovery", 10*time.Second, func() bool {
				res := l.Lookup("nlb.example.net.")
				return !res.Stale && res.Err == "" && slices.Equal(res.Addrs, addrs("192.0.2.2"))
			})
		})
	}
}

// A name whose server never answered has no addresses, only the failure.
func TestFailureWithoutEarlierAnswer(t *testing.T) {
	f := startFake(t, "nlb.example.net. 60 IN A 192.0.2.1")
	f.fail(dns.RcodeRefused, false)
	r := newTestRegistry()
	l := acquire(t, r, f.addr, nil, "nlb.example.net.")
	waitFirst(t, l)
	want := "host name nlb.example.net: A and AAAA queries: REFUSED from " + f.addr
	if res := l.Lookup("nlb.example.net."); len(res.Addrs) != 0 || res.Err != want || res.Stale {
		t.Errorf("Lookup = %+v, want no addresses and %q", res, want)
	}
}

// A truncated UDP reply is asked again over TCP.
func TestTruncatedReplyRetriedOverTCP(t *testing.T) {
	f := startFake(t, "nlb.example.net. 60 IN A 192.0.2.1", "nlb.example.net. 60 IN AAAA 2001:db8::1")
	f.mu.Lock()
	f.truncate = true
	f.mu.Unlock()
	r := newTestRegistry()
	l := acquire(t, r, f.addr, nil, "nlb.example.net.")
	waitFirst(t, l)
	if res := l.Lookup("nlb.example.net."); !slices.Equal(res.Addrs, addrs("192.0.2.1", "2001:db8::1")) || res.Err != "" {
		t.Fatalf("Lookup = %+v, want the addresses from TCP", res)
	}
	for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA} {
		if n := len(f.queries("nlb.example.net.", qtype, true)); n != 1 {
			t.Errorf("%d %s queries over TCP, want 1", n, dns.TypeToString[qtype])
		}
	}
}
