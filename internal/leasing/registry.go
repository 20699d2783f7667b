// Package leasing shares background workers between the users of a
// process: a Registry runs one worker per distinct key, a Lease is one
// user's hold on a set of keys (one CoreDNS config, say), and an entry
// outlives its last lease for a grace period, so that a reload, which
// acquires its keys again, finds their state and first results at once.
//
// What an entry keeps and what its worker does are the user's: an Entry
// carries a value of the user's type, and the Registry runs the user's
// function for it.
package leasing

import (
	"context"
	"iter"
	"sync"
	"time"
)

// Registry holds the entries of one kind of worker, by key.
type Registry[K comparable, V any] struct {
	// Grace is how long an entry is kept after its last lease is released.
	// It is read at each release: set it before the first Acquire.
	Grace time.Duration

	run    func(ctx context.Context, e *Entry[K, V])
	forget func(gone *V, rest iter.Seq[*V])

	mu      sync.Mutex
	entries map[K]*Entry[K, V]
}

// New returns an empty registry. An entry's worker calls run, which must
// return once its ctx is done. forget (may be nil) is called when an entry
// expires, with the entries that remain, under the registry's lock: it must
// not call the registry.
func New[K comparable, V any](grace time.Duration, run func(ctx context.Context, e *Entry[K, V]), forget func(gone *V, rest iter.Seq[*V])) *Registry[K, V] {
	return &Registry[K, V]{Grace: grace, run: run, forget: forget, entries: map[K]*Entry[K, V]{}}
}

// Acquire joins the entries of keys, creating those the registry lacks
// (init sets up the value of keys[i]'s new entry, under the registry's
// lock), and starts the worker of any that no lease held. It returns the
// lease and the entry of each key, in order; a key given twice is held
// once. onChange (may be nil) is called by Report, in the worker's
// goroutine, and must not call Release.
func (r *Registry[K, V]) Acquire(keys []K, init func(i int, v *V), onChange func()) (*Lease[K, V], []*Entry[K, V]) {
	l := &Lease[K, V]{r: r, onChange: onChange, first: make(chan struct{})}
	at := make([]*Entry[K, V], len(keys))
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, k := range keys {
		e := r.entries[k]
		if e == nil {
			e = &Entry[K, V]{key: k, leases: map[*Lease[K, V]]struct{}{}}
			init(i, &e.Val)
			r.entries[k] = e
		}
		at[i] = e
		if _, dup := e.leases[l]; dup {
			continue
		}
		if len(e.leases) == 0 {
			if e.expiry != nil {
				e.expiry.Stop()
				e.expiry = nil
			}
			e.worker = start(e.worker, func(ctx context.Context) { r.run(ctx, e) })
		}
		e.leases[l] = struct{}{}
		l.held = append(l.held, e)
		if !e.reported {
			l.pending++
		}
	}
	if l.pending == 0 {
		close(l.first)
	}
	return l, at
}

// Get is the entry of k, or nil when no lease holds k and none did within
// the grace period.
func (r *Registry[K, V]) Get(k K) *Entry[K, V] {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.entries[k]
}

// Len is the number of entries, held or within their grace period.
func (r *Registry[K, V]) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.entries)
}

// expire drops e unless a lease holds it or a later release armed another
// expiry: a timer that a re-acquire stopped too late must not drop the
// entry before the grace period of its next release is over.
func (r *Registry[K, V]) expire(e *Entry[K, V], armed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(e.leases) > 0 || e.armed != armed {
		return
	}
	delete(r.entries, e.key)
	if r.forget != nil {
		r.forget(&e.Val, func(yield func(*V) bool) {
			for _, other := range r.entries {
				if !yield(&other.Val) {
					return
				}
			}
		})
	}
}
