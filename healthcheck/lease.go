package healthcheck

import "sync"

// Lease is one user's hold on a set of targets, typically one CoreDNS
// config between OnStartup and OnShutdown.
type Lease struct {
	r       *Registry
	entries map[string]*entry // by Target.Key; never changed after Acquire
	at      []*entry          // at[i] is the entry of Acquire's targets[i]

	pending int           // targets without a finished probe; guarded by r.mu
	first   chan struct{} // closed when pending reaches 0 or on Release

	mu       sync.Mutex // serialises onChange calls and Release
	onChange func()
	released bool
}

// StatusAt is the current status of targets[i] as given to Acquire. It is
// the lookup for callers that read every target per change: Status formats
// t's key on each call.
func (l *Lease) StatusAt(i int) Status { return l.at[i].status() }

// Status is the current status of t, which should be one of the lease's
// targets; any other target is Unknown.
func (l *Lease) Status(t Target) Status {
	e := l.entries[t.Key()]
	if e == nil {
		return Status{State: Unknown, Factor: 1, Factors: fullFactors}
	}
	return e.status()
}

// FirstRound is closed once every target of the lease has finished its first
// probe (a target probed before, by a running or recently stopped prober,
// counts at once), or when the lease is released.
func (l *Lease) FirstRound() <-chan struct{} { return l.first }

// Release drops the lease; it is idempotent. Probers no lease holds any more
// are stopped and waited for; their state is kept for the registry's grace
// period. After Release returns, onChange is not called again.
func (l *Lease) Release() {
	l.mu.Lock()
	if l.released {
		l.mu.Unlock()
		return
	}
	l.released = true
	l.mu.Unlock()

	idle := l.r.release(l)
	for _, p := range idle {
		p.cancel() // all at once: stopping many probers takes one probe's time, not the sum
	}
	for _, p := range idle {
		<-p.done
	}
}

func (l *Lease) notify() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.released && l.onChange != nil {
		l.onChange()
	}
}
