package healthcheck

import (
	"sync"
	"time"
)

// entry is one target in the registry: its state, which outlives its prober
// for a grace period. The registry keeps who holds it beside it (held).
type entry struct {
	target Target // as acquired: NewCheck gave its defaults
	check  string // the check label of its series: see checkLabels
	what   string // how log lines name it: the check, kind and address

	mu sync.Mutex // guards sm; taken by Lease.Status and the prober
	sm stateMachine
}

// init sets up a new entry in place: the registry owns its memory.
func (e *entry) init(t Target, check string) {
	e.target, e.check = t, check
	e.what = "check " + check + ": " + t.Check.Kind.String() + " " + t.Addr
	e.sm = newStateMachine(t.Check)
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
