package leasing

import (
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/poll"
)

// The first round is over once every entry has reported, its first
// report only counting, and at once for an entry reported before.
func TestFirstRound(t *testing.T) {
	f := newFixture(time.Minute)
	l, at := f.acquire(nil, "a", "b")
	defer l.Release()
	if !f.Report(at[0], false) || f.Report(at[0], false) || poll.Closed(l.FirstRound()) {
		t.Fatal("after a's reports: want the first one first, the round not over")
	}
	if !f.Report(at[1], false) || !poll.Closed(l.FirstRound()) {
		t.Fatal("first round not over after the last first result")
	}
	known, _ := f.acquire(nil, "b")
	defer known.Release()
	if !poll.Closed(known.FirstRound()) {
		t.Fatal("first round of reported entries not over at once")
	}
	waiting, _ := f.acquire(nil, "c")
	waiting.Release()
	if !poll.Closed(waiting.FirstRound()) {
		t.Fatal("first round not closed by Release")
	}
}

// Release is idempotent, waits for a running onChange and calls none after.
func TestReleaseEndsNotifications(t *testing.T) {
	f := newFixture(time.Minute)
	var calls atomic.Int32
	entered, leave := make(chan struct{}), make(chan struct{})
	l, at := f.acquire(func() {
		if calls.Add(1) == 1 {
			close(entered)
			<-leave
		}
	}, "a")
	go f.Report(at[0], true)
	<-entered
	released := make(chan struct{})
	go func() { l.Release(); close(released) }()
	time.Sleep(20 * time.Millisecond)
	if poll.Closed(released) {
		t.Fatal("Release returned during a running onChange")
	}
	close(leave)
	<-released
	l.Release()
	f.Report(at[0], true)
	if n := calls.Load(); n != 1 {
		t.Fatalf("onChange called %d times, want once: none after Release", n)
	}
}

// A worker started while its predecessor is still stopping, as when a
// re-acquire comes during a Release, waits for it.
func TestWorkersOfAnEntryRunOneAtATime(t *testing.T) {
	f := newFixture(time.Minute)
	f.lag = make(chan struct{})
	l, at := f.acquire(nil, "a")
	poll.Until(t, "first run", 5*time.Second, func() bool { return at[0].Val.runs.Load() == 1 })
	released := make(chan struct{})
	go func() { l.Release(); close(released) }()
	poll.Until(t, "lease dropped", 5*time.Second, func() bool {
		f.Registry.mu.Lock() // the registry's, not the fixture's
		defer f.Registry.mu.Unlock()
		return len(at[0].leases) == 0
	})
	next, _ := f.acquire(nil, "a")
	defer next.Release()
	time.Sleep(50 * time.Millisecond)
	if at[0].Val.runs.Load() != 1 || poll.Closed(released) {
		t.Fatal("new worker ran, or Release returned, before the old worker exited")
	}
	close(f.lag)
	<-released
	poll.Until(t, "second run", 5*time.Second, func() bool { return at[0].Val.runs.Load() == 2 })
}

// Released workers leave no goroutine behind.
func TestReleaseLeavesNoGoroutines(t *testing.T) {
	baseline := runtime.NumGoroutine()
	f := newFixture(time.Minute)
	keys := make([]string, 50)
	for i := range keys {
		keys[i] = strconv.Itoa(i)
	}
	l, at := f.acquire(nil, keys...)
	poll.Until(t, "every worker running", 5*time.Second, func() bool { return at[len(at)-1].Val.runs.Load() == 1 })
	// Each worker is a goroutine of its own, still running: the count to
	// come back from. (A count against the baseline would be off by what
	// an earlier test's goroutines were still doing when it was taken.)
	for i, e := range at {
		if poll.Closed(f.Worker(e).Done()) {
			t.Fatalf("worker %d ended before its release", i)
		}
	}
	l.Release()
	for i, e := range at {
		if !poll.Closed(f.Worker(e).Done()) {
			t.Fatalf("worker %d still running after Release returned", i)
		}
	}
	poll.Until(t, "goroutines back to the baseline", 5*time.Second, func() bool { return runtime.NumGoroutine() <= baseline })
}
