package kube

import (
	"fmt"
	"iter"
	"slices"
	"sync/atomic"
	"time"

	"github.com/gslb/gslb/internal/leasing"
)

// DefaultGrace is how long an informer's cache and a cluster's clients are
// kept after their last lease is released: a reload, or a source dropped
// and brought back, finds the members at once.
const DefaultGrace = 5 * time.Minute

// Registry shares watches between the users of a process: one informer per
// (cluster, resource, namespace, selector), one API check per cluster,
// whichever stanzas and reloads need them.
type Registry struct {
	clusters *leasing.Registry[Cluster, cluster]
	watches  *leasing.Registry[watchKey, watch]

	checkEvery   time.Duration // how often a cluster's API is checked
	checkTimeout time.Duration // how long a check may take
	informers    atomic.Int64  // informers started so far
}

// Default is the process-wide registry: informers and their caches outlive
// CoreDNS reloads.
var Default = NewRegistry()

// NewRegistry returns an empty registry. Nothing runs until Acquire.
func NewRegistry() *Registry {
	r := &Registry{checkEvery: 5 * time.Second, checkTimeout: 3 * time.Second}
	r.clusters = leasing.New(DefaultGrace, r.checkAPI, forgetCluster)
	r.watches = leasing.New(DefaultGrace, r.keepWatching, nil)
	return r
}

// Acquire starts (or joins) the watches sources need and returns a lease
// whose Found(i) reads sources[i]. onChange (may be nil) is called, from an
// informer's or a check's goroutine, after an event that may change what
// Found returns for one of the sources, and when one of their clusters'
// API becomes reachable or unreachable. It must be cheap and must not call
// Release: Release waits for a running call, and none comes after it.
//
// It fails, starting nothing, when a cluster's configuration cannot be
// read (the error names the file and context) or a source is malformed.
func (r *Registry) Acquire(sources []Source, onChange func()) (*Lease, error) {
	routeClientLogs()
	var objectKeys, sliceKeys []watchKey
	var clusterKeys []Cluster
	built := map[Cluster]clients{}
	for i, s := range sources {
		if s.Kind < Service || s.Kind > Gateway { // Kind.String would not say
			return nil, fmt.Errorf("source %d: no such kind: %d", i, s.Kind)
		}
		objects, endpoints, err := plan(s)
		if err != nil {
			return nil, fmt.Errorf("%v: %v", s, err)
		}
		objectKeys, sliceKeys = append(objectKeys, objects), append(sliceKeys, endpoints)
		if _, ok := built[s.Cluster]; ok {
			continue
		}
		// Built at every Acquire, so a reload reports a kubeconfig gone bad,
		// but used only by a cluster the registry has no entry of.
		if built[s.Cluster], err = newClients(s.Cluster); err != nil {
			return nil, err
		}
		clusterKeys = append(clusterKeys, s.Cluster)
	}
	l := &Lease{readers: make([]reader, len(sources))}
	notify := func() {
		l.version.Add(1) // before: a caller that sees the call sees the version
		if onChange != nil {
			onChange()
		}
	}
	l.clusters, _ = r.clusters.Acquire(clusterKeys, func(i int, c *cluster) { c.init(clusterKeys[i], built[clusterKeys[i]]) }, notify)
	keys := slices.Concat(objectKeys, dropZero(sliceKeys)) // a Gateway's zero key is no watch
	lease, at := r.watches.Acquire(keys, func(i int, w *watch) { w.key = keys[i] }, notify)
	l.watches = lease
	held := make(map[watchKey]*watchHeld, len(at))
	for i, e := range at {
		held[keys[i]] = e
	}
	for i, s := range sources {
		l.readers[i] = reader{source: s, objects: held[objectKeys[i]], slices: held[sliceKeys[i]]}
	}
	return l, nil
}

// APIUp reports whether the last check of c's API found it ready; false
// when c is not held, nor was within the grace period.
func (r *Registry) APIUp(c Cluster) bool {
	e := r.clusters.Get(c)
	return e != nil && e.Val.isUp()
}

// forgetCluster drops the series of a cluster no lease re-acquired within
// the grace period, unless a cluster kept has its name.
func forgetCluster(gone *cluster, rest iter.Seq[*cluster]) {
	for c := range rest {
		if c.name == gone.name {
			return
		}
	}
	forgetSeries(gone.name)
}
