package kube

import (
	"errors"

	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// sliceSelector limits EndpointSlices to those of a Service, the only ones
// readiness reads.
const sliceSelector = discoveryv1.LabelServiceName

// plan is the watches s reads: of its objects, and for a Service or an
// Ingress of the EndpointSlices of its namespace that say whether they
// are ready (zero for a Gateway). One object is read from a watch of its
// namespace, which every source of that namespace shares.
func plan(s Source) (objects, slices watchKey, err error) {
	var res resource
	switch s.Kind {
	case Service:
		res = services
	case Ingress:
		res = ingresses
	case Gateway:
		res = gateways
	default:
		return watchKey{}, watchKey{}, errors.New("no such kind")
	}
	objects = watchKey{cluster: s.Cluster, resource: res, namespace: s.Namespace}
	if s.Name == "" && s.Selector != "" {
		sel, err := labels.Parse(s.Selector)
		if err != nil {
			return watchKey{}, watchKey{}, err
		}
		objects.selector = sel.String() // "a=1,b=2" and "b=2, a=1" share a watch
	}
	if s.Kind != Gateway {
		slices = watchKey{cluster: s.Cluster, resource: endpointSlices, namespace: s.Namespace, selector: sliceSelector}
	}
	return objects, slices, nil
}

// dropZero is keys without the zero key.
func dropZero(keys []watchKey) []watchKey {
	var out []watchKey
	for _, k := range keys {
		if k != (watchKey{}) {
			out = append(out, k)
		}
	}
	return out
}
