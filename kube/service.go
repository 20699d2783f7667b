package kube

import (
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
)

// serviceView reads a Service: the addresses of its load balancer's status,
// or of its address annotation.
func serviceView(obj any) (view, bool) {
	svc, ok := obj.(*corev1.Service)
	if !ok {
		return view{}, false
	}
	v := annotatedView(svc)
	if v.annotation == "" {
		for _, in := range svc.Status.LoadBalancer.Ingress {
			v.addrs = appendStatus(v.addrs, in.IP, in.Hostname)
		}
	}
	return v, true
}

// annotatedView is the view of obj's name and address annotation.
func annotatedView(obj metav1.Object) view {
	v := view{namespace: obj.GetNamespace(), name: obj.GetName()}
	v.annotation, v.addrs, v.bad = annotated(obj.GetAnnotations())
	return v
}

// readySlice is the Service of an EndpointSlice with a ready endpoint, "" for
// another. Ready as kube-proxy reads it: a condition that is not set is
// ready.
func readySlice(obj any) string {
	s, ok := obj.(*discoveryv1.EndpointSlice)
	if !ok {
		return ""
	}
	for _, ep := range s.Endpoints {
		if ep.Conditions.Ready == nil || *ep.Conditions.Ready {
			return s.Namespace + "/" + s.Labels[discoveryv1.LabelServiceName]
		}
	}
	return ""
}

// hasReadyEndpoint reports whether Service namespace/name has a ready
// endpoint in slices (nil while they have not synced: not ready).
func hasReadyEndpoint(slices cache.Indexer, namespace, name string) bool {
	if slices == nil {
		return false
	}
	of, _ := slices.ByIndex(byService, namespace+"/"+name)
	for _, s := range of {
		if readySlice(s) != "" {
			return true
		}
	}
	return false
}
