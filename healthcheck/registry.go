package healthcheck

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultGrace is how long a target's state is kept after its last lease is
// released, so a reload that acquires it again carries the state over.
const DefaultGrace = 5 * time.Minute

// Registry owns the probers of a process. Probers and their state outlive
// the leases (and so the CoreDNS configs) that use them.
type Registry struct {
	slots chan struct{} // semaphore bounding concurrent probes
	grace time.Duration

	mu      sync.Mutex
	entries map[string]*entry // by Target.Key
}

// Default is the process-wide registry: probers and their state outlive
// CoreDNS reloads.
var Default = NewRegistry(64)

// NewRegistry returns a registry running at most maxConcurrent probes at once
// (at least one). Nothing runs until Acquire.
func NewRegistry(maxConcurrent int) *Registry {
	return &Registry{
		slots:   make(chan struct{}, max(1, maxConcurrent)),
		grace:   DefaultGrace,
		entries: map[string]*entry{},
	}
}

// Acquire starts probers for targets not yet probed and joins the running
// ones, counting references per lease; the lease's StatusAt(i) reads
// targets[i]. onChange (may be nil) is called from a prober goroutine after
// any of these targets changes State or Factor. It must be cheap (the prober
// waits for it, and probes nothing meanwhile), so it should only note the
// change for another goroutine to act on; it must not call Release nor take
// a lock held around Release: Release waits for a running onChange.
func (r *Registry) Acquire(targets []Target, onChange func()) *Lease {
	l := &Lease{r: r, entries: map[string]*entry{}, at: make([]*entry, len(targets)), onChange: onChange, first: make(chan struct{})}
	keys := make([]string, len(targets)) // formatted before locking: probers report under r.mu
	for i, t := range targets {
		keys[i] = t.Key()
	}
	checks := checkLabels(targets, keys)
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, t := range targets {
		key := keys[i]
		if e, dup := l.entries[key]; dup {
			l.at[i] = e
			continue
		}
		e := r.entries[key]
		if e == nil {
			e = newEntry(t, key, checks[key])
			r.entries[key] = e
		}
		if len(e.leases) == 0 {
			if e.expiry != nil {
				e.expiry.Stop()
				e.expiry = nil
			}
			e.prober = startProber(r, e, e.prober)
		}
		e.leases[l] = struct{}{}
		l.entries[key], l.at[i] = e, e
		if !e.probed {
			l.pending++
		}
	}
	if l.pending == 0 {
		close(l.first)
	}
	return l
}

// release drops l from its entries and returns the probers no lease holds.
func (r *Registry) release(l *Lease) []*prober {
	r.mu.Lock()
	defer r.mu.Unlock()
	var idle []*prober
	for _, e := range l.entries {
		delete(e.leases, l)
		if len(e.leases) == 0 {
			idle = append(idle, e.prober)
			e.expiry = time.AfterFunc(r.grace, func() { r.expire(e) })
		}
	}
	if l.pending > 0 {
		l.pending = 0
		close(l.first) // nobody waits on a lease that is gone
	}
	return idle
}

// expire drops an entry no lease re-acquired within the grace period.
func (r *Registry) expire(e *entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.entries[e.key] != e || len(e.leases) > 0 {
		return
	}
	delete(r.entries, e.key)
	addrInUse, kindAddrInUse := false, false
	for _, other := range r.entries {
		if other.check == e.check && other.target.Addr == e.target.Addr {
			addrInUse = true
			kindAddrInUse = kindAddrInUse || other.target.Check.Kind == e.target.Check.Kind
		}
	}
	forgetProbeSeries(e.check, e.target, addrInUse, kindAddrInUse)
}

// checkLabels is, by key, the check label of a new entry: the names of the
// checks among targets that share the key, sorted and joined with commas.
// Target.Key leaves the name out, so identically configured checks share a
// prober and so its probes; naming all of them says which checks its series
// count for, and sorting makes the label independent of the Corefile's
// order. The label is fixed for the entry's life, as its state is: a
// counter whose label changed would restart from zero, and a later lease
// that adds a name joins the running prober (a reload acquires before it
// releases) without renaming its series.
func checkLabels(targets []Target, keys []string) map[string]string {
	names := make(map[string][]string, len(targets))
	for i, t := range targets {
		if ns := names[keys[i]]; !slices.Contains(ns, t.Check.Name) {
			names[keys[i]] = append(ns, t.Check.Name)
		}
	}
	labels := make(map[string]string, len(names))
	for key, ns := range names {
		slices.Sort(ns)
		labels[key] = strings.Join(ns, ",")
	}
	return labels
}
