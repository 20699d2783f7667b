package hostname

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/poll"
)

// Of the system's resolvers, one that fails is passed over, and the one
// that answered is asked first from then on.
func TestSystemResolversFailOver(t *testing.T) {
	silent := startFake(t)
	silent.fail(dns.RcodeSuccess, true)
	f := startFake(t, "nlb.example.net. 0 IN A 192.0.2.1", "nlb.example.net. 0 IN AAAA 2001:db8::1")
	r := newTestRegistry()
	r.timeout = 300 * time.Millisecond
	r.readSystem = func() ([]string, error) { return []string{silent.addr, f.addr}, nil }
	l := acquire(t, r, "", nil, "nlb.example.net.")
	waitFirst(t, l)
	if res := l.Lookup("nlb.example.net."); !slices.Equal(res.Addrs, addrs("192.0.2.1", "2001:db8::1")) || res.Err != "" {
		t.Fatalf("Lookup = %+v, want the second server's answer", res)
	}
	poll.Until(t, "re-resolutions", 10*time.Second, func() bool { return len(f.queries("nlb.example.net.", dns.TypeA, false)) >= 4 })
	if n := len(silent.queries("nlb.example.net.", 0, false)); n != 2 {
		t.Errorf("the silent server was asked %d times, want only in the first round (A and AAAA)", n)
	}
	if res, ok := r.Lookup("", "nlb.example.net."); !ok || len(res.Addrs) != 2 {
		t.Errorf("Registry.Lookup(\"\", ...) = %+v, %t", res, ok)
	}
}

// When every server fails, Err names each; when the system's resolvers
// cannot be read, it says so, and a later failure to read keeps the list
// read before.
func TestSystemResolversFailing(t *testing.T) {
	a, b := startFake(t), startFake(t)
	a.fail(dns.RcodeRefused, false)
	b.fail(dns.RcodeServerFailure, false)
	r := newTestRegistry()
	r.readSystem = func() ([]string, error) { return nil, errors.New("system resolvers: no resolv.conf") }
	l := acquire(t, r, "", nil, "nlb.example.net.")
	waitFirst(t, l)
	if res := l.Lookup("nlb.example.net."); res.Err != "host name nlb.example.net: A and AAAA queries: system resolvers: no resolv.conf" {
		t.Errorf("Lookup without system resolvers = %+v", res)
	}

	r.readSystem = func() ([]string, error) { return []string{a.addr, b.addr}, nil }
	l = acquire(t, r, "", nil, "other.example.net.")
	waitFirst(t, l)
	want := "host name other.example.net: A and AAAA queries: REFUSED from " + a.addr + ", SERVFAIL from " + b.addr
	if res := l.Lookup("other.example.net."); res.Err != want {
		t.Errorf("Lookup = %+v, want %q", res, want)
	}

	r.readSystem = func() ([]string, error) { return nil, errors.New("system resolvers: unreadable") }
	l = acquire(t, r, "", nil, "third.example.net.")
	waitFirst(t, l)
	if res := l.Lookup("third.example.net."); !strings.Contains(res.Err, a.addr) {
		t.Errorf("Lookup after a failed read = %+v, want the servers read before asked", res)
	}
}
