package healthcheck

import (
	"sync"
	"time"
)

// entry is one target in the registry: its state, which outlives its prober
// for a grace period, and who holds it.
type entry struct {
	key    string
	target Target // as acquired: NewCheck gave its defaults
	check  string // the check label of its series: see checkLabels
	what   string // how log lines name it: the check, kind and address

	mu sync.Mutex // guards sm; taken by Lease.Status and the prober
	sm stateMachine

	// Guarded by Registry.mu.
	leases map[*Lease]struct{} // a prober runs iff this is not empty
	prober *prober             // the latest prober, running or stopped
	probed bool                // a probe has finished
	expiry *time.Timer         // drops the entry after the grace period
}

func newEntry(t Target, key, check string) *entry {
	return &entry{
		key: key, target: t, check: check,
		what: "check " + check + ": " + t.Check.Kind.String() + " " + t.Addr,
		sm:   newStateMachine(t.Check), leases: map[*Lease]struct{}{},
	}
}

func (e *entry) status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sm.status()
}

// observe takes a probe result and the word its probe read, and returns
// the status before and after them.
func (e *entry) observe(err error, latency time.Duration, w Word) (before, after Status) {
	e.mu.Lock()
	defer e.mu.Unlock()
	before = e.sm.status()
	e.sm.observe(err, latency, w)
	return before, e.sm.status()
}
