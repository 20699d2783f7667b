package kube

import (
	"sync/atomic"

	"github.com/gslb/gslb/internal/leasing"
)

// Lease is one user's hold on the watches of a set of sources, typically
// one gslb stanza's between OnStartup and OnShutdown.
type Lease struct {
	clusters *leasing.Lease[Cluster, cluster]
	watches  *leasing.Lease[watchKey, watch]
	readers  []reader // readers[i] reads Acquire's sources[i]; never changed after it
	version  atomic.Uint64
}

// Synced is closed once every informer of the lease has synced once (one
// synced before, for an earlier lease, counts at once; a cluster without
// the Gateway API counts once it says so), or when the lease is released.
// An informer the server refuses (RBAC) does not sync: its error is logged.
func (l *Lease) Synced() <-chan struct{} { return l.watches.FirstRound() }

// Version grows with every change that may alter what Found returns, and
// every change of a cluster's reachability, before onChange is called: a
// caller that read Found at one version need not read it again at the same.
func (l *Lease) Version() uint64 { return l.version.Load() }

// Found is the members of sources[i] now, from the informers' caches: by
// object namespace and name, then in the order of the object's addresses.
// The slice is the caller's. Before the first sync it is empty; while the
// cluster's API cannot be reached it is what the API said last.
func (l *Lease) Found(i int) []Found {
	if i < 0 || i >= len(l.readers) {
		return nil
	}
	return l.readers[i].found()
}

// Release drops the lease; it is idempotent. Informers and checks no lease
// holds any more are stopped and waited for; their caches are kept for the
// grace period. After Release returns, onChange is not called again.
func (l *Lease) Release() {
	l.watches.Release() // first: a running informer's cluster stays held
	l.clusters.Release()
}
