package kube

import (
	"slices"

	networkingv1 "k8s.io/api/networking/v1"
)

// ingressView reads an Ingress: the addresses of its load balancer's
// status, or of its address annotation, and the Services it sends to.
func ingressView(obj any) (view, bool) {
	ing, ok := obj.(*networkingv1.Ingress)
	if !ok {
		return view{}, false
	}
	v := annotatedView(ing)
	if v.annotation == "" {
		for _, in := range ing.Status.LoadBalancer.Ingress {
			v.addrs = appendStatus(v.addrs, in.IP, in.Hostname)
		}
	}
	if b := ing.Spec.DefaultBackend; b != nil && b.Service != nil {
		v.backends = append(v.backends, b.Service.Name)
	}
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			if p.Backend.Service != nil {
				v.backends = append(v.backends, p.Backend.Service.Name)
			}
		}
	}
	slices.Sort(v.backends)
	v.backends = slices.Compact(v.backends)
	return v, true
}
