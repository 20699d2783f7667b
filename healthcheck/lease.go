package healthcheck

import "github.com/gslb/gslb/internal/leasing"

// Lease is one user's hold on a set of targets, typically one CoreDNS
// config between OnStartup and OnShutdown.
type Lease struct {
	lease   *leasing.Lease[string, entry]
	entries map[string]*held // by Target.Key; never changed after Acquire
	at      []*held          // at[i] is the entry of Acquire's targets[i]
}

// StatusAt is the current status of targets[i] as given to Acquire. It is
// the lookup for callers that read every target per change: Status formats
// t's key on each call.
func (l *Lease) StatusAt(i int) Status { return l.at[i].Val.status() }

// Status is the current status of t, which should be one of the lease's
// targets; any other target is Unknown.
func (l *Lease) Status(t Target) Status {
	e := l.entries[t.Key()]
	if e == nil {
		return Status{State: Unknown, Factor: 1, Factors: fullFactors}
	}
	return e.Val.status()
}

// FirstRound is closed once every target of the lease has finished its first
// probe (a target probed before, by a running or recently stopped prober,
// counts at once), or when the lease is released.
func (l *Lease) FirstRound() <-chan struct{} { return l.lease.FirstRound() }

// Release drops the lease; it is idempotent. Probers no lease holds any more
// are stopped and waited for; their state is kept for the registry's grace
// period. After Release returns, onChange is not called again.
func (l *Lease) Release() { l.lease.Release() }
