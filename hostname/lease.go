package hostname

import "github.com/gslb/gslb/internal/leasing"

// Lease is one user's hold on a set of names resolved through one server,
// typically one gslb stanza's between OnStartup and OnShutdown.
type Lease struct {
	lease   *leasing.Lease[key, entry]
	entries map[string]*held // by the names as given to Acquire; never changed after it
}

// Lookup is the last Result of name, spelt as given to Acquire, from
// memory: no lock, no I/O, no allocation, so it can be called for every host
// member at every compile. A name the lease does not hold has no Addrs.
func (l *Lease) Lookup(name string) Result {
	e := l.entries[name]
	if e == nil {
		return notAcquired
	}
	return *e.Val.result.Load()
}

// FirstRound is closed once every name of the lease has a first Result,
// success or failure (a name with a Result kept from before, by a running
// or recently stopped resolver, counts at once), or when the lease is
// released.
func (l *Lease) FirstRound() <-chan struct{} { return l.lease.FirstRound() }

// Release drops the lease; it is idempotent. Resolvers no lease holds any
// more are stopped and waited for; their Results are kept for the grace
// period, so that a reload which acquires them again finds them at once.
// After Release returns, changed is not called again.
func (l *Lease) Release() { l.lease.Release() }
