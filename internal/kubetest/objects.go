package kubetest

import (
	"context"
	"net/netip"
	"testing"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Objects as the cluster's controllers would write them, none of which
// runs here: a cloud controller's load balancer status, the EndpointSlice
// controller's slices.

// Namespace creates namespace ns unless it is there.
func Namespace(t testing.TB, client kubernetes.Interface, ns string) {
	t.Helper()
	_, err := client.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// LBService creates LoadBalancer Service ns/name (in namespace ns, made
// unless there) with meta's labels and annotations, and writes its load
// balancer's status: ingress entries are addresses or host names.
func LBService(t testing.TB, client kubernetes.Interface, ns, name string, meta metav1.ObjectMeta, ingress ...string) {
	t.Helper()
	Namespace(t, client, ns)
	meta.Name = name
	svc := &corev1.Service{
		ObjectMeta: meta,
		Spec:       corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Ports: []corev1.ServicePort{{Name: "http", Port: 80}}},
	}
	if _, err := client.CoreV1().Services(ns).Create(context.Background(), svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	SetLBStatus(t, client, ns, name, ingress...)
}

// SetLBStatus replaces Service ns/name's load balancer ingress entries.
func SetLBStatus(t testing.TB, client kubernetes.Interface, ns, name string, ingress ...string) {
	t.Helper()
	ctx := context.Background()
	svc, err := client.CoreV1().Services(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Status.LoadBalancer.Ingress = LBIngress(ingress)
	if _, err := client.CoreV1().Services(ns).UpdateStatus(ctx, svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// LBIngress is entries as load balancer ingress: an address's IP, or else
// a host name.
func LBIngress(entries []string) []corev1.LoadBalancerIngress {
	var out []corev1.LoadBalancerIngress
	for _, e := range entries {
		if _, err := netip.ParseAddr(e); err == nil {
			out = append(out, corev1.LoadBalancerIngress{IP: e})
		} else {
			out = append(out, corev1.LoadBalancerIngress{Hostname: e})
		}
	}
	return out
}

// Endpoints writes the one EndpointSlice of Service ns/svc, with one
// endpoint ready or not. Its address is a pod's: answer data only,
// nothing dials it.
func Endpoints(t testing.TB, client kubernetes.Interface, ns, svc string, ready bool) {
	t.Helper()
	ctx := context.Background()
	port, proto := int32(8080), corev1.ProtocolTCP
	slice := &discoveryv1.EndpointSlice{
		ObjectMeta:  metav1.ObjectMeta{Name: svc + "-1", Labels: map[string]string{discoveryv1.LabelServiceName: svc}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"192.0.2.200"}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}},
		Ports:       []discoveryv1.EndpointPort{{Port: &port, Protocol: &proto}},
	}
	slices := client.DiscoveryV1().EndpointSlices(ns)
	old, err := slices.Get(ctx, slice.Name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		_, err = slices.Create(ctx, slice, metav1.CreateOptions{})
	case err == nil:
		old.Endpoints = slice.Endpoints
		_, err = slices.Update(ctx, old, metav1.UpdateOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}
}
