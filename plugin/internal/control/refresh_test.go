package control

import (
	"sync/atomic"
	"testing"
	"time"
)

// A refresh that blocks until the test lets it return, counting its runs.
type blockingRefresh struct {
	runs    atomic.Int32
	started chan struct{}
	release chan struct{}
}

func newBlockingRefresh() *blockingRefresh {
	return &blockingRefresh{started: make(chan struct{}, 8), release: make(chan struct{})}
}

func (b *blockingRefresh) refresh() {
	b.runs.Add(1)
	b.started <- struct{}{}
	<-b.release
}

// expectNoStart fails if a refresh starts within a while.
func (b *blockingRefresh) expectNoStart(t *testing.T, what string) {
	t.Helper()
	select {
	case <-b.started:
		t.Fatalf("%s: a refresh started (%d runs)", what, b.runs.Load())
	case <-time.After(100 * time.Millisecond):
	}
}

// Changes during a refresh cost exactly one more; none while idle.
func TestRefresherCoalescesChangesDuringARefresh(t *testing.T) {
	b := newBlockingRefresh()
	r := newRefresher()
	go r.run(b.refresh)
	defer r.close()

	b.expectNoStart(t, "no change yet")
	r.changed()
	<-b.started // the first refresh is running
	for range 1000 {
		r.changed() // never blocks
	}
	b.release <- struct{}{}
	<-b.started // one more for the 1000 changes
	b.release <- struct{}{}
	b.expectNoStart(t, "after the follow-up refresh")
	if n := b.runs.Load(); n != 2 {
		t.Fatalf("%d refreshes for 1 + 1000 changes, want 2", n)
	}
}

// close waits for a refresh in progress, and none starts after it.
func TestRefresherCloseWaitsForRefresh(t *testing.T) {
	b := newBlockingRefresh()
	r := newRefresher()
	go r.run(b.refresh)
	r.changed()
	<-b.started
	r.changed() // pending when close is called

	closed := make(chan struct{})
	go func() { r.close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("close returned while a refresh was running")
	case <-time.After(50 * time.Millisecond):
	}
	b.release <- struct{}{}
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		t.Fatal("close did not return after the refresh did")
	}
	r.changed() // a late change after close: no refresh, no block
	b.expectNoStart(t, "after close (the change pending at close included)")
	if n := b.runs.Load(); n != 1 {
		t.Fatalf("%d refreshes, want the one running at close", n)
	}
}
