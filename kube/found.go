package kube

import (
	"cmp"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
)

// reader reads one source's members from the caches of its watches.
type reader struct {
	source  Source
	objects *watchHeld
	slices  *watchHeld // nil for a Gateway
}

// found is the source's members now: each object with an address, by
// namespace and name, its addresses in its own order.
func (rd *reader) found() []Found {
	res := rd.objects.Val.key.resource
	var views []view
	for _, obj := range rd.objectsNow() {
		if v, ok := res.viewOf(obj); ok && len(v.addrs) > 0 {
			views = append(views, v)
		}
	}
	slices.SortFunc(views, func(a, b view) int {
		return cmp.Or(strings.Compare(a.namespace, b.namespace), strings.Compare(a.name, b.name))
	})
	var endpoints cache.Indexer
	if rd.slices != nil {
		endpoints = rd.slices.Val.indexer()
	}
	n := 0
	for _, v := range views {
		n += len(v.addrs)
	}
	out := make([]Found, 0, n)
	for _, v := range views {
		object := rd.source.Kind.String() + " " + v.namespace + "/" + v.name
		reason := rd.notReady(v, object, endpoints)
		for _, a := range v.addrs {
			out = append(out, Found{Addr: a.addr, Host: a.host, Object: object, Ready: reason == "", Reason: reason})
		}
	}
	return out
}

// objectsNow are the source's objects in the cache, in no order.
func (rd *reader) objectsNow() []any {
	idx := rd.objects.Val.indexer()
	s := rd.source
	switch {
	case idx == nil:
		return nil
	case s.Name != "" && s.Namespace != "":
		obj, ok, _ := idx.GetByKey(s.Namespace + "/" + s.Name)
		if !ok {
			return nil
		}
		return []any{obj}
	case s.Name != "": // that name in every namespace
		return slices.DeleteFunc(idx.List(), func(obj any) bool {
			m, ok := obj.(metav1.Object)
			return !ok || m.GetName() != s.Name
		})
	}
	return idx.List() // the watch's selector is the source's
}

// notReady says why the object of v cannot take traffic, or "".
func (rd *reader) notReady(v view, object string, endpoints cache.Indexer) string {
	switch rd.source.Kind {
	case Service:
		if !hasReadyEndpoint(endpoints, v.namespace, v.name) {
			return object + " has no ready endpoint"
		}
	case Ingress:
		if len(v.backends) > 0 && !slices.ContainsFunc(v.backends, func(svc string) bool { return hasReadyEndpoint(endpoints, v.namespace, svc) }) {
			return object + ": no backend service has a ready endpoint"
		}
	case Gateway:
		if !v.programmed && v.message != "" {
			return object + " is not programmed: " + v.message
		}
		if !v.programmed {
			return object + " is not programmed"
		}
	}
	return ""
}
