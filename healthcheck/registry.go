package healthcheck

import (
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/gslb/gslb/internal/leasing"
)

// DefaultGrace is how long a target's state is kept after its last lease is
// released, so a reload that acquires it again carries the state over.
const DefaultGrace = 5 * time.Minute

// Registry owns the probers of a process. Probers and their state outlive
// the leases (and so the CoreDNS configs) that use them.
type Registry struct {
	slots chan struct{}                    // semaphore bounding concurrent probes
	set   *leasing.Registry[string, entry] // by Target.Key
}

// held is an entry as the registry holds it: with its leases and prober.
type held = leasing.Entry[string, entry]

// Default is the process-wide registry: probers and their state outlive
// CoreDNS reloads.
var Default = NewRegistry(64)

// NewRegistry returns a registry running at most maxConcurrent probes at once
// (at least one). Nothing runs until Acquire.
func NewRegistry(maxConcurrent int) *Registry {
	r := &Registry{slots: make(chan struct{}, max(1, maxConcurrent))}
	r.set = leasing.New(DefaultGrace, r.keepProbing, forget)
	return r
}

// Acquire starts probers for targets not yet probed and joins the running
// ones, counting references per lease; the lease's StatusAt(i) reads
// targets[i]. onChange (may be nil) is called from a prober goroutine after
// any of these targets changes State or Factor. It must be cheap (the prober
// waits for it, and probes nothing meanwhile), so it should only note the
// change for another goroutine to act on; it must not call Release nor take
// a lock held around Release: Release waits for a running onChange.
func (r *Registry) Acquire(targets []Target, onChange func()) *Lease {
	keys := make([]string, len(targets)) // formatted before locking: probers report under the registry's lock
	for i, t := range targets {
		keys[i] = t.Key()
	}
	checks := checkLabels(targets, keys)
	lease, at := r.set.Acquire(keys, func(i int, e *entry) { e.init(targets[i], checks[keys[i]]) }, onChange)
	l := &Lease{lease: lease, at: at, entries: make(map[string]*held, len(checks))}
	for i, e := range at {
		l.entries[keys[i]] = e
	}
	return l
}

// forget deletes the series of an entry no lease re-acquired within the
// grace period, but those that the remaining entries still count into.
func forget(e *entry, rest iter.Seq[*entry]) {
	addrInUse, kindAddrInUse := false, false
	for other := range rest {
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
