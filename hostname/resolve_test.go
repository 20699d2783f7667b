package hostname

import (
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/poll"
)

// The first resolution asks A and AAAA once each, recursion desired with
// EDNS, and gives every address sorted, IPv4 first.
func TestFirstResolution(t *testing.T) {
	f := startFake(t,
		"nlb.example.net. 3600 IN AAAA 2001:db8::1",
		"nlb.example.net. 3600 IN A 192.0.2.2",
		"nlb.example.net. 3600 IN A 192.0.2.1",
	)
	r := newTestRegistry()
	changed, calls := counter()
	start := time.Now()
	l := acquire(t, r, f.addr, changed, "nlb.example.net.")
	waitFirst(t, l)

	res := l.Lookup("nlb.example.net.")
	if want := addrs("192.0.2.1", "192.0.2.2", "2001:db8::1"); !slices.Equal(res.Addrs, want) || res.Err != "" || res.Stale {
		t.Fatalf("Lookup = %+v, want %v", res, want)
	}
	if res.Expires.Before(start.Add(time.Hour)) || res.Expires.After(time.Now().Add(time.Hour)) {
		t.Errorf("Expires %v, want an hour after the answer", res.Expires)
	}
	for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA} {
		qs := f.queries("nlb.example.net.", qtype, false)
		if len(qs) != 1 || qs[0].tcp || !qs[0].rd || qs[0].edns != 1232 {
			t.Errorf("%s queries %+v, want one over UDP with RD and EDNS 1232", dns.TypeToString[qtype], qs)
		}
	}
	poll.Until(t, "changed for the first result", 5*time.Second, func() bool { return calls.Load() == 1 })

	if got, ok := r.Lookup(f.addr, "NLB.example.net"); !ok || !slices.Equal(got.Addrs, res.Addrs) {
		t.Errorf("Registry.Lookup = %+v, %t; want the lease's result", got, ok)
	}
	if _, ok := r.Lookup(f.addr, "other.example.net."); ok {
		t.Error("Registry.Lookup of a name nobody resolves is true")
	}
	if got := l.Lookup("other.example.net."); len(got.Addrs) != 0 || got.Err == "" {
		t.Errorf("Lookup of a name not acquired = %+v, want no addresses and why", got)
	}
}

// When the TTL runs out the name is asked again; changed is called when
// the answer changes, not at every repeat of the same answer.
func TestReresolvesWhenTTLRunsOut(t *testing.T) {
	f := startFake(t, "nlb.example.net. 0 IN A 192.0.2.1")
	r := newTestRegistry()
	changed, calls := counter()
	l := acquire(t, r, f.addr, changed, "nlb.example.net.")
	waitFirst(t, l)
	poll.Until(t, "changed for the first result", 5*time.Second, func() bool { return calls.Load() >= 1 })
	poll.Until(t, "re-resolutions", 10*time.Second, func() bool { return len(f.queries("nlb.example.net.", dns.TypeA, false)) >= 4 })
	if n := calls.Load(); n != 1 {
		t.Fatalf("changed called %d times for one answer repeated, want once", n)
	}

	f.set("nlb.example.net. 0 IN A 192.0.2.9", "nlb.example.net. 0 IN AAAA 2001:db8::9")
	want := addrs("192.0.2.9", "2001:db8::9")
	poll.Until(t, "the new addresses", 10*time.Second, func() bool { return slices.Equal(l.Lookup("nlb.example.net.").Addrs, want) })
	poll.Until(t, "changed for the new answer", 5*time.Second, func() bool { return calls.Load() >= 2 })
	seen := len(f.queries("nlb.example.net.", dns.TypeA, false))
	poll.Until(t, "more re-resolutions", 10*time.Second, func() bool { return len(f.queries("nlb.example.net.", dns.TypeA, false)) >= seen+3 })
	if n := calls.Load(); n != 2 {
		t.Errorf("changed called %d times for two answers, want twice", n)
	}
}

// A CNAME chain is followed to its addresses, and the least TTL on the way
// says when the name is asked again.
func TestCNAMEChain(t *testing.T) {
	f := startFake(t,
		"app.example.net. 30 IN CNAME lb.example.net.",
		"lb.example.net. 600 IN CNAME nlb-1.elb.example.com.",
		"nlb-1.elb.example.com. 60 IN A 198.51.100.7",
		"nlb-1.elb.example.com. 60 IN A 198.51.100.6",
	)
	r := newTestRegistry()
	start := time.Now()
	l := acquire(t, r, f.addr, nil, "app.example.net.")
	waitFirst(t, l)
	res := l.Lookup("app.example.net.")
	if want := addrs("198.51.100.6", "198.51.100.7"); !slices.Equal(res.Addrs, want) || res.Err != "" {
		t.Fatalf("Lookup = %+v, want %v", res, want)
	}
	if res.Expires.Before(start.Add(30*time.Second)) || res.Expires.After(time.Now().Add(30*time.Second)) {
		t.Errorf("Expires in %v, want the first CNAME's 30s", time.Until(res.Expires))
	}
}
