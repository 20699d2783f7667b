package kube

import (
	"strconv"
	"strings"
)

// view is what Found reads of one object: its addresses and what its
// readiness rests on.
type view struct {
	namespace, name string
	addrs           []address
	bad             []string // entries of its address annotation that are no address
	annotation      string   // that annotation's value, as written
	// backends are an Ingress's Services, sorted: it is ready when one of
	// them has a ready endpoint.
	backends []string
	// programmed and message are a Gateway's Programmed condition.
	programmed bool
	message    string
}

// viewOf reads obj, an object of r (not an EndpointSlice): false when it is
// none, as a tombstone's missing object.
func (r resource) viewOf(obj any) (view, bool) {
	switch r {
	case services:
		return serviceView(obj)
	case ingresses:
		return ingressView(obj)
	case gateways:
		return gatewayView(obj)
	}
	return view{}, false
}

// essence is what of obj an event must change to change Found's results:
// "" for an object that gives no member (no address; a slice without a
// ready endpoint, which leaves its Service's readiness as it was).
func (r resource) essence(obj any) string {
	if obj == nil {
		return ""
	}
	if r == endpointSlices {
		return readySlice(obj)
	}
	v, ok := r.viewOf(obj)
	if !ok || len(v.addrs) == 0 {
		return ""
	}
	var b strings.Builder
	for _, a := range v.addrs {
		b.WriteString(a.String())
		b.WriteByte(',')
	}
	b.WriteString(strings.Join(v.backends, ","))
	b.WriteString(" " + strconv.FormatBool(v.programmed) + " " + v.message)
	return b.String()
}
