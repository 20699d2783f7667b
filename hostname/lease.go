package hostname

import "sync"

// Lease is one user's hold on a set of names resolved through one server,
// typically one gslb stanza's between OnStartup and OnShutdown.
type Lease struct {
	r       *Registry
	entries map[string]*entry // by the names as given to Acquire; never changed after it

	pending int           // entries without a first result; guarded by r.mu
	first   chan struct{} // closed when pending reaches 0 or on Release

	mu       sync.Mutex // serialises changed calls and Release
	changed  func()
	released bool
}

// Lookup is the last Result of name, spelt as given to Acquire, from
// memory: no lock, no I/O, no allocation, so it can be called for every host
// member at every compile. A name the lease does not hold has no Addrs.
func (l *Lease) Lookup(name string) Result {
	e := l.entries[name]
	if e == nil {
		return notAcquired
	}
	return *e.result.Load()
}

// FirstRound is closed once every name of the lease has a first Result,
// success or failure (a name with a Result kept from before, by a running
// or recently stopped resolver, counts at once), or when the lease is
// released.
func (l *Lease) FirstRound() <-chan struct{} { return l.first }

// Release drops the lease; it is idempotent. Resolvers no lease holds any
// more are stopped and waited for; their Results are kept for the grace
// period, so that a reload which acquires them again finds them at once.
// After Release returns, changed is not called again.
func (l *Lease) Release() {
	l.mu.Lock()
	if l.released {
		l.mu.Unlock()
		return
	}
	l.released = true
	l.mu.Unlock()

	idle := l.r.release(l)
	for _, rs := range idle {
		rs.cancel() // all at once: stopping many takes one query's time, not the sum
	}
	for _, rs := range idle {
		<-rs.done
	}
}

// notify calls changed unless the lease is released.
func (l *Lease) notify() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.released && l.changed != nil {
		l.changed()
	}
}
