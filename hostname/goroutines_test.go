package hostname

import (
	"runtime"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/poll"
)

// Release stops every resolver, one waiting for a reply included, without
// waiting out its timeout, and no goroutine is left; changed is not called
// after it.
func TestReleaseStopsGoroutines(t *testing.T) {
	f := startFake(t, "a.example.net. 0 IN A 192.0.2.1", "b.example.net. 0 IN AAAA 2001:db8::1")
	silent := startFake(t)
	silent.fail(dns.RcodeSuccess, true)
	baseline := runtime.NumGoroutine()

	r := newTestRegistry()
	r.timeout = time.Minute
	changed, calls := counter()
	l := r.Acquire(f.addr, []string{"a.example.net.", "b.example.net.", "c.example.net."}, changed)
	waiting := r.Acquire(silent.addr, []string{"a.example.net."}, changed)
	waitFirst(t, l)
	poll.Until(t, "queries to the silent server", 10*time.Second, func() bool { return len(silent.queries("a.example.net.", 0, false)) == 2 })
	if n := runtime.NumGoroutine(); n < baseline+4 {
		t.Fatalf("%d goroutines while resolving, want at least one per resolver above the baseline %d", n, baseline)
	}

	start := time.Now()
	l.Release()
	waiting.Release()
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("Release took %v: it waited for the query's timeout", took)
	}
	n := calls.Load()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after release, baseline %d:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // TTL 0: a resolver still running would have asked again
	if calls.Load() != n {
		t.Error("changed called after Release")
	}
}
