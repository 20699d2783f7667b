package kube

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/tools/cache"
)

// handler hears one informer's events and errors.
type handler struct {
	r       *Registry
	e       *watchHeld
	cluster *cluster
	live    atomic.Bool   // the cache is published: events are changes to report
	missing chan struct{} // closed when the server has no such resource
	once    sync.Once

	mu     sync.Mutex
	logged string // the last error logged, not logged again
}

func newHandler(r *Registry, e *watchHeld, c *cluster) *handler {
	return &handler{r: r, e: e, cluster: c, missing: make(chan struct{})}
}

func (h *handler) OnAdd(obj any, _ bool) { h.changed(nil, obj) }
func (h *handler) OnUpdate(old, obj any) { h.changed(old, obj) }
func (h *handler) OnDelete(obj any) {
	if gone, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = gone.Obj
	}
	h.changed(obj, nil)
}

// changed reports an event that may change members: most do not (an
// endpoint added to a slice that was ready, a status written again), and
// the refresher need not compile for them. Before the cache is published,
// publishing reports them all at once.
func (h *handler) changed(old, obj any) {
	res := h.e.Val.key.resource
	h.logBadAnnotation(old, obj)
	if !h.live.Load() || res.essence(old) == res.essence(obj) {
		return
	}
	h.r.watches.Report(h.e, true)
}

// logBadAnnotation logs the entries of obj's address annotation that are no
// address, once: when the annotation is new or changed.
func (h *handler) logBadAnnotation(old, obj any) {
	res := h.e.Val.key.resource
	if obj == nil || res == endpointSlices {
		return
	}
	v, _ := res.viewOf(obj)
	if len(v.bad) == 0 {
		return
	}
	if old != nil {
		if was, _ := res.viewOf(old); was.annotation == v.annotation {
			return
		}
	}
	log.Warningf("kubernetes cluster %s: %s %s/%s: address annotation %q: ignoring %s, neither an address nor a host name",
		h.cluster.name, res, v.namespace, v.name, v.annotation, strings.Join(v.bad, ", "))
}

// watchError hears a failed list or watch; the informer tries again, its
// cache as it was. An error without the server's answer asks for a check
// of the API, which says whether it is reachable; one with its answer is
// logged (forbidden: RBAC is short), once until another comes.
func (h *handler) watchError(_ context.Context, _ *cache.Reflector, err error) {
	if errors.Is(err, io.EOF) || apierrors.IsResourceExpired(err) || apierrors.IsGone(err) {
		return // a watch that ended, or must list again: the informer's routine
	}
	watchErrors.WithLabelValues(h.cluster.name).Inc()
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Code >= 500 {
		h.cluster.checkNow()
		return
	}
	h.mu.Lock()
	repeated := h.logged == err.Error()
	h.logged = err.Error()
	h.mu.Unlock()
	k := h.e.Val.key
	where := "every namespace"
	if k.namespace != "" {
		where = "namespace " + k.namespace
	}
	switch {
	case apierrors.IsNotFound(err) && k.resource == gateways:
		h.once.Do(func() { close(h.missing) })
		if !repeated {
			log.Warningf("kubernetes cluster %s: watching %s in %s: %v: is the Gateway API (its CRDs, v1) installed? Its sources have no members until it is; retrying", h.cluster.name, k.resource, where, err)
		}
	case !repeated:
		log.Warningf("kubernetes cluster %s: watching %s in %s: %v; its sources keep their last known members, retrying", h.cluster.name, k.resource, where, err)
	}
}
