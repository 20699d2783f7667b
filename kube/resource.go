package kube

import (
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic/dynamicinformer"
	corev1informers "k8s.io/client-go/informers/core/v1"
	discoveryv1informers "k8s.io/client-go/informers/discovery/v1"
	networkingv1informers "k8s.io/client-go/informers/networking/v1"
	"k8s.io/client-go/tools/cache"
)

// resource is a kind of object an informer lists and watches.
type resource uint8

const (
	services resource = iota + 1
	endpointSlices
	ingresses
	gateways
)

var resourceNames = [...]string{services: "services", endpointSlices: "endpointslices", ingresses: "ingresses", gateways: "gateways.gateway.networking.k8s.io"}

func (r resource) String() string { return resourceNames[r] }

// gatewaysV1 is read with the dynamic client: no Gateway API module needed.
var gatewaysV1 = schema.GroupVersionResource{Group: "gateway.networking.k8s.io", Version: "v1", Resource: "gateways"}

// byService indexes EndpointSlices by their Service, NAMESPACE/NAME:
// readiness looks a Service's slices up, not through all of them.
const byService = "service"

func serviceOfSlice(obj any) ([]string, error) {
	s, ok := obj.(*discoveryv1.EndpointSlice)
	if !ok || s.Labels[discoveryv1.LabelServiceName] == "" {
		return nil, nil
	}
	return []string{s.Namespace + "/" + s.Labels[discoveryv1.LabelServiceName]}, nil
}

// informer is a new, unstarted informer of r's objects in namespace ("":
// every one) that selector matches ("": every object). No resync: nothing
// here needs the cache replayed.
func (r resource) informer(c clients, namespace, selector string) cache.SharedIndexInformer {
	tweak := func(o *metav1.ListOptions) { o.LabelSelector = selector }
	byNamespace := cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc}
	var inf cache.SharedIndexInformer
	switch r {
	case services:
		inf = corev1informers.NewFilteredServiceInformer(c.typed, namespace, 0, byNamespace, tweak)
	case endpointSlices:
		indexers := cache.Indexers{byService: serviceOfSlice}
		inf = discoveryv1informers.NewFilteredEndpointSliceInformer(c.typed, namespace, 0, indexers, tweak)
	case ingresses:
		inf = networkingv1informers.NewFilteredIngressInformer(c.typed, namespace, 0, byNamespace, tweak)
	default:
		inf = dynamicinformer.NewFilteredDynamicInformer(c.dynamic, gatewaysV1, namespace, 0, byNamespace, tweak).Informer()
	}
	_ = inf.SetTransform(stripManagedFields) // fails only on a started informer
	return inf
}

// stripManagedFields drops what the cache would keep for nothing: the
// server-side apply bookkeeping is often the larger part of an object.
func stripManagedFields(obj any) (any, error) {
	if m, ok := obj.(metav1.Object); ok {
		m.SetManagedFields(nil)
	}
	return obj, nil
}
