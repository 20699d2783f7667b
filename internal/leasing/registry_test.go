package leasing

import (
	"slices"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/poll"
)

// Leases of one key share its entry and worker, a key given twice is held
// once, and the worker stops with the last lease but the entry stays.
func TestAcquireSharesOneWorker(t *testing.T) {
	f := newFixture(time.Minute)
	one, at := f.acquire(nil, "a", "b", "a")
	two, at2 := f.acquire(nil, "a")
	if at[0] != at[2] || at2[0] != at[0] || f.Len() != 2 || len(one.held) != 2 {
		t.Fatalf("entries %p %p %p, %d in the registry, %d held: want a shared, 2 and 2", at[0], at[2], at2[0], f.Len(), len(one.held))
	}
	w := f.Worker(at[0])
	poll.Until(t, "one run per entry", 5*time.Second, func() bool { return at[0].Val.runs.Load() == 1 && at[1].Val.runs.Load() == 1 })

	one.Release()
	if poll.Closed(w.Done()) {
		t.Fatal("worker stopped while another lease holds its entry")
	}
	if !poll.Closed(f.Worker(at[1]).Done()) {
		t.Fatal("worker of an entry no lease holds still running after Release")
	}
	two.Release()
	if !poll.Closed(w.Done()) || f.Get("a") != at[0] || at[0].Val.runs.Load() != 1 {
		t.Fatal("after the last release: want the worker stopped and the entry kept")
	}
}

// A re-acquire within the grace period finds the entry with its value and
// first result, starts a new worker, and the old expiry does not drop it.
func TestReacquireWithinGraceKeepsEntry(t *testing.T) {
	f := newFixture(50 * time.Millisecond)
	l, at := f.acquire(nil, "a")
	f.Report(at[0], false)
	old := f.Worker(at[0])
	l.Release()

	again, at2 := f.acquire(nil, "a")
	defer again.Release()
	if at2[0] != at[0] || !poll.Closed(again.FirstRound()) {
		t.Fatal("re-acquired within grace: want the same entry and the first round over at once")
	}
	if f.Worker(at2[0]) == old {
		t.Fatal("stopped worker reused, want a new one")
	}
	poll.Until(t, "second run", 5*time.Second, func() bool { return at[0].Val.runs.Load() == 2 })
	time.Sleep(150 * time.Millisecond) // past the grace the first release armed
	if _, ok := f.forgot("a"); ok || f.Get("a") != at[0] {
		t.Fatal("entry forgotten while a lease holds it")
	}
}

// After the grace period an entry no lease holds is dropped, and forget
// hears of it with the entries that remain.
func TestExpiryForgets(t *testing.T) {
	f := newFixture(20 * time.Millisecond)
	keep, _ := f.acquire(nil, "b")
	defer keep.Release()
	l, _ := f.acquire(nil, "a")
	l.Release()
	poll.Until(t, "a forgotten", 5*time.Second, func() bool { _, ok := f.forgot("a"); return ok })
	if rest, _ := f.forgot("a"); !slices.Equal(rest, []string{"b"}) || f.Get("a") != nil || f.Len() != 1 {
		t.Fatalf("forgot a with %v left, Get(a) %v, %d entries: want b left only", rest, f.Get("a"), f.Len())
	}
	again, at := f.acquire(nil, "a")
	defer again.Release()
	if poll.Closed(again.FirstRound()) || at[0].Val.runs.Load() > 1 {
		t.Fatal("a forgotten entry came back with its first result")
	}
}

// An expiry that fires after a re-acquire stopped it too late, and the
// entry was released again, leaves the entry to the later expiry.
func TestStaleExpiryKeepsEntry(t *testing.T) {
	f := newFixture(time.Hour)
	l, at := f.acquire(nil, "a")
	l.Release()
	l, _ = f.acquire(nil, "a")
	l.Release()
	f.expire(at[0], 1) // the first release's timer, run late
	if f.Get("a") == nil {
		t.Fatal("a stale expiry dropped the entry")
	}
	f.expire(at[0], 2)
	if f.Get("a") != nil {
		t.Fatal("the latest expiry did not drop the entry")
	}
}
