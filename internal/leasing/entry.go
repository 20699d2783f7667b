package leasing

import (
	"context"
	"time"
)

// Entry is one key in a registry: the user's value, which outlives the
// entry's worker for the grace period, and who holds it.
type Entry[K comparable, V any] struct {
	// Val is the user's state of the key. The registry only hands out its
	// address; guarding it is the user's business.
	Val V
	key K

	// Guarded by Registry.mu.
	leases   map[*Lease[K, V]]struct{} // a worker runs iff this is not empty
	worker   *Worker                   // the latest worker, running or stopped
	reported bool                      // a first result was reported
	expiry   *time.Timer               // drops the entry after the grace period
	armed    int                       // expiries armed so far: the latest is the one that counts
}

// Worker is the goroutine of one entry, from an Acquire that found no
// lease holding it to the Release that left none.
type Worker struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when the goroutine has exited
}

// start runs run in a new goroutine once prev (if any) has exited: a
// worker stopped by a release may still be finishing when a re-acquire
// starts the next, and an entry's value is one worker's at a time.
func start(prev *Worker, run func(ctx context.Context)) *Worker {
	ctx, cancel := context.WithCancel(context.Background())
	w := &Worker{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		if prev != nil {
			<-prev.done
		}
		run(ctx)
	}()
	return w
}

// Done is closed when the worker has exited.
func (w *Worker) Done() <-chan struct{} { return w.done }

// Worker is e's latest worker, running or stopped.
func (r *Registry[K, V]) Worker(e *Entry[K, V]) *Worker {
	r.mu.Lock()
	defer r.mu.Unlock()
	return e.worker
}

// Report is what e's worker calls after each result: the first completes
// the first round of every lease holding e, and changed calls their
// onChange, outside the registry's lock. It says whether this was e's
// first result.
func (r *Registry[K, V]) Report(e *Entry[K, V], changed bool) (first bool) {
	var notify []*Lease[K, V]
	r.mu.Lock()
	if first = !e.reported; first {
		e.reported = true
		for l := range e.leases {
			l.pending--
			if l.pending == 0 {
				close(l.first)
			}
		}
	}
	if changed {
		for l := range e.leases {
			notify = append(notify, l)
		}
	}
	r.mu.Unlock()
	for _, l := range notify {
		l.notify()
	}
	return first
}
