package hostname

import (
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/poll"
)

// Two leases of one name through one server share its resolver: one
// stream of queries, and the second lease's first round is over at once.
func TestLeasesShareOneResolver(t *testing.T) {
	f := startFake(t, "nlb.example.net. 3600 IN A 192.0.2.1", "nlb.example.net. 3600 IN AAAA 2001:db8::1")
	r := newTestRegistry()
	one := acquire(t, r, f.addr, nil, "nlb.example.net.")
	waitFirst(t, one)
	two := acquire(t, r, f.addr, nil, "nlb.example.net.", "NLB.example.net")
	select {
	case <-two.FirstRound():
	default:
		t.Fatal("second lease's first round not over at once")
	}
	for _, name := range []string{"nlb.example.net.", "NLB.example.net"} {
		if res := two.Lookup(name); !slices.Equal(res.Addrs, addrs("192.0.2.1", "2001:db8::1")) {
			t.Errorf("second lease's Lookup(%s) = %+v", name, res)
		}
	}
	if entries := r.set.Len(); entries != 1 {
		t.Errorf("%d entries, want one for the name", entries)
	}
	time.Sleep(100 * time.Millisecond) // room for a second stream to show
	if n := len(f.queries("nlb.example.net.", 0, false)); n != 2 {
		t.Errorf("%d queries, want one A and one AAAA", n)
	}

	one.Release()
	e := two.entries["nlb.example.net."]
	done := r.set.Worker(e).Done()
	select {
	case <-done:
		t.Error("resolver stopped while the second lease holds it")
	default:
	}
}

// A release and a quick re-acquire, as a reload does, keep the Result:
// the first round is over at once, and a good answer is not asked again
// before its TTL runs out.
func TestReacquireKeepsResult(t *testing.T) {
	f := startFake(t, "nlb.example.net. 3600 IN A 192.0.2.1", "nlb.example.net. 3600 IN AAAA 2001:db8::1")
	r := newTestRegistry()
	changed, calls := counter()
	l := r.Acquire(f.addr, []string{"nlb.example.net."}, changed)
	waitFirst(t, l)
	poll.Until(t, "changed for the first result", 5*time.Second, func() bool { return calls.Load() == 1 })
	l.Release()
	l.Release() // idempotent

	again := acquire(t, r, f.addr, changed, "nlb.example.net.")
	select {
	case <-again.FirstRound():
	default:
		t.Fatal("first round of a re-acquired name not over at once")
	}
	if res := again.Lookup("nlb.example.net."); !slices.Equal(res.Addrs, addrs("192.0.2.1", "2001:db8::1")) {
		t.Errorf("Lookup after re-acquiring = %+v", res)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(f.queries("nlb.example.net.", 0, false)); n != 2 {
		t.Errorf("%d queries, want the first A and AAAA only", n)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("changed called %d times, want once", n)
	}
}

// After the grace period a released name is forgotten.
func TestForgottenAfterGrace(t *testing.T) {
	f := startFake(t, "nlb.example.net. 3600 IN A 192.0.2.1", "nlb.example.net. 3600 IN AAAA 2001:db8::1")
	r := newTestRegistry()
	r.set.Grace = 50 * time.Millisecond
	l := r.Acquire(f.addr, []string{"nlb.example.net."}, nil)
	waitFirst(t, l)
	if _, ok := r.Lookup(f.addr, "nlb.example.net."); !ok {
		t.Fatal("Registry.Lookup false while a lease holds the name")
	}
	l.Release()
	poll.Until(t, "forgotten", 10*time.Second, func() bool { _, ok := r.Lookup(f.addr, "nlb.example.net."); return !ok })
	waitFirst(t, acquire(t, r, f.addr, nil, "nlb.example.net."))
	if n := len(f.queries("nlb.example.net.", dns.TypeA, false)); n != 2 {
		t.Errorf("%d A queries, want a second after forgetting (and AAAA too)", n)
	}
}
