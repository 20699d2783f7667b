package kube

import (
	"context"
	"sync/atomic"
	"time"

	"k8s.io/client-go/tools/cache"

	"github.com/gslb/gslb/internal/leasing"
)

// watchKey names one informer: which objects of which cluster it lists and
// watches. Namespaced sources get namespaced informers, which a Role
// allows; a selector is the server's to apply.
type watchKey struct {
	cluster   Cluster
	resource  resource
	namespace string // "" for every namespace
	selector  string // canonical; "" for every object
}

// watch is one informer's shared state: the cache Found reads. It outlives
// the informer for the grace period, and a new informer's cache replaces
// it only once synced, so a re-acquire reads the members kept meanwhile.
type watch struct {
	key   watchKey
	cache atomic.Pointer[synced] // nil until a first sync
}

// synced is a cache that was synced once: what the server said, then
// kept up to date while it can be reached.
type synced struct{ cache.Indexer }

// watchHeld is a watch as the registry holds it: with its leases and
// informer.
type watchHeld = leasing.Entry[watchKey, watch]

// indexer is the watch's cache, or nil before its first sync.
func (w *watch) indexer() cache.Indexer {
	if s := w.cache.Load(); s != nil {
		return s.Indexer
	}
	return nil
}

// keepWatching is a watch's worker: it runs an informer of the key until
// the last lease goes, publishes its cache once synced (or once the server
// says it has no such resource: a cluster without the Gateway API), and
// tells the leases of each event that may change their members.
func (r *Registry) keepWatching(ctx context.Context, e *watchHeld) {
	c := r.clusters.Get(e.Val.key.cluster)
	if c == nil {
		return // released before this worker started, and the cluster expired
	}
	k := e.Val.key
	inf := k.resource.informer(c.Val.clients, k.namespace, k.selector)
	h := newHandler(r, e, &c.Val)
	_ = inf.SetWatchErrorHandlerWithContext(h.watchError) // fails only once started
	if _, err := inf.AddEventHandler(h); err != nil {
		log.Errorf("kubernetes cluster %s: %s: %v", c.Val.name, k.resource, err)
		return
	}
	r.informers.Add(1)
	done := make(chan struct{})
	go func() { defer close(done); inf.RunWithContext(ctx) }()
	defer stopped(done)

	select {
	case <-inf.HasSyncedChecker().Done():
	case <-h.missing:
		h.publish(inf.GetIndexer()) // the server's word: there are none
		select {
		case <-inf.HasSyncedChecker().Done():
		case <-ctx.Done():
			return
		}
	case <-ctx.Done():
		return
	}
	h.publish(inf.GetIndexer())
}

// stopWait bounds how long a stopped watch waits for its informer to end.
// client-go's streaming list backs off from a server that cannot be
// reached (up to 30 s) without heeding the stop, and a shutdown must not
// wait that out: the informer ends by itself once its backoff is over,
// while its events reach no lease, the last one being released.
const stopWait = time.Second

// stopped waits for done, at most stopWait.
func stopped(done <-chan struct{}) {
	t := time.NewTimer(stopWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// publish makes idx the watch's cache and tells its leases: their first
// sync, or a change.
func (h *handler) publish(idx cache.Indexer) {
	h.e.Val.cache.Store(&synced{idx})
	h.live.Store(true)
	h.r.watches.Report(h.e, true)
}
