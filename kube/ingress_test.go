package kube

import (
	"context"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/internal/kubetest"
)

// An Ingress's members are its load balancer's addresses, ready when one
// of the Services it sends to has a ready endpoint; one that sends to no
// Service is ready.
func testIngress(t *testing.T, c *kubetest.Cluster, r *Registry) {
	kubetest.Namespace(t, c.Client, "ing")
	backend := func(svc string) networkingv1.IngressBackend {
		return networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: svc, Port: networkingv1.ServiceBackendPort{Number: 80}}}
	}
	prefix := networkingv1.PathTypePrefix
	ingress(t, c, "shop", networkingv1.IngressSpec{
		DefaultBackend: &networkingv1.IngressBackend{Service: backend("web").Service},
		Rules: []networkingv1.IngressRule{{Host: "shop.example.com", IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{
			Paths: []networkingv1.HTTPIngressPath{{Path: "/api", PathType: &prefix, Backend: backend("api")}},
		}}}},
	}, "192.0.2.60", "shop-lb.example.net")
	ingress(t, c, "bare", networkingv1.IngressSpec{Rules: []networkingv1.IngressRule{{Host: "bare.example.com"}}}, "192.0.2.61")

	main := admin(c, "ingress")
	l := acquire(t, r, nil,
		Source{Cluster: main, Kind: Ingress, Namespace: "ing", Name: "shop"},
		Source{Cluster: main, Kind: Ingress, Namespace: "ing", Name: "bare"})
	const reason = "ingress ing/shop: no backend service has a ready endpoint"
	waitFound(t, l, 0, down("ingress ing/shop", "192.0.2.60", reason), down("ingress ing/shop", "shop-lb.example.net.", reason))
	waitFound(t, l, 1, up("ingress ing/bare", "192.0.2.61"))
	kubetest.Endpoints(t, c.Client, "ing", "api", false)
	kubetest.Endpoints(t, c.Client, "ing", "web", true) // a Service the Ingress's rules do not name, but its default backend
	waitFound(t, l, 0, up("ingress ing/shop", "192.0.2.60"), up("ingress ing/shop", "shop-lb.example.net."))
	kubetest.Endpoints(t, c.Client, "ing", "web", false)
	waitFound(t, l, 0, down("ingress ing/shop", "192.0.2.60", reason), down("ingress ing/shop", "shop-lb.example.net.", reason))
	kubetest.Endpoints(t, c.Client, "ing", "api", true)
	waitFound(t, l, 0, up("ingress ing/shop", "192.0.2.60"), up("ingress ing/shop", "shop-lb.example.net."))
}

// ingress creates Ingress ing/name and writes its load balancer's status.
func ingress(t *testing.T, c *kubetest.Cluster, name string, spec networkingv1.IngressSpec, addrs ...string) {
	t.Helper()
	ctx := context.Background()
	ing, err := c.Client.NetworkingV1().Ingresses("ing").Create(ctx, &networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: spec}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range kubetest.LBIngress(addrs) {
		ing.Status.LoadBalancer.Ingress = append(ing.Status.LoadBalancer.Ingress, networkingv1.IngressLoadBalancerIngress{IP: in.IP, Hostname: in.Hostname})
	}
	if _, err := c.Client.NetworkingV1().Ingresses("ing").UpdateStatus(ctx, ing, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}
