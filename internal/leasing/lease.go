package leasing

import (
	"sync"
	"time"
)

// Lease is one user's hold on a set of entries.
type Lease[K comparable, V any] struct {
	r    *Registry[K, V]
	held []*Entry[K, V] // distinct; never changed after Acquire

	pending int           // entries without a first result; guarded by r.mu
	first   chan struct{} // closed when pending reaches 0 or on Release

	mu       sync.Mutex // serialises onChange calls and Release
	onChange func()
	released bool
}

// FirstRound is closed once every entry of the lease has its first result
// (one reported before, to an earlier lease, counts at once), or when the
// lease is released.
func (l *Lease[K, V]) FirstRound() <-chan struct{} { return l.first }

// Release drops the lease; it is idempotent. Workers no lease holds any
// more are stopped and waited for; their entries are kept for the grace
// period. After Release returns, onChange is not called again: it waits
// for a running call.
func (l *Lease[K, V]) Release() {
	l.mu.Lock()
	if l.released {
		l.mu.Unlock()
		return
	}
	l.released = true
	l.mu.Unlock()

	idle := l.r.release(l)
	for _, w := range idle {
		w.cancel() // all at once: stopping many takes one worker's time, not the sum
	}
	for _, w := range idle {
		<-w.done
	}
}

// release drops l from its entries, arms the expiry of those no lease
// holds any more and returns their workers.
func (r *Registry[K, V]) release(l *Lease[K, V]) []*Worker {
	r.mu.Lock()
	defer r.mu.Unlock()
	var idle []*Worker
	for _, e := range l.held {
		delete(e.leases, l)
		if len(e.leases) == 0 {
			idle = append(idle, e.worker)
			e.armed++
			armed := e.armed
			e.expiry = time.AfterFunc(r.Grace, func() { r.expire(e, armed) })
		}
	}
	if l.pending > 0 {
		l.pending = 0
		close(l.first) // nobody waits on a lease that is gone
	}
	return idle
}

// notify calls onChange unless the lease is released.
func (l *Lease[K, V]) notify() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.released && l.onChange != nil {
		l.onChange()
	}
}
