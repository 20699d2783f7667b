package kube

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// The objects tests write as the controllers of a cluster would: no
// controller runs beside the test's API server.

func namespace(t testing.TB, client kubernetes.Interface, ns string) {
	t.Helper()
	_, err := client.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// lbService creates LoadBalancer Service ns/name and writes its status, as
// a cloud controller would, with ingress addresses (IPs or host names).
func lbService(t testing.TB, client kubernetes.Interface, ns, name string, meta metav1.ObjectMeta, ingress ...string) {
	t.Helper()
	ctx := context.Background()
	meta.Name = name
	svc, err := client.CoreV1().Services(ns).Create(ctx, &corev1.Service{
		ObjectMeta: meta,
		Spec:       corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Ports: []corev1.ServicePort{{Name: "http", Port: 80}}},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	setIngress(t, client, svc, ingress...)
}

// setIngress writes svc's load balancer status.
func setIngress(t testing.TB, client kubernetes.Interface, svc *corev1.Service, ingress ...string) {
	t.Helper()
	svc.Status.LoadBalancer.Ingress = lbIngress(ingress)
	if _, err := client.CoreV1().Services(svc.Namespace).UpdateStatus(context.Background(), svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func lbIngress(addrs []string) []corev1.LoadBalancerIngress {
	var in []corev1.LoadBalancerIngress
	for _, a := range addrs {
		if _, ok := ipAddress(a); ok {
			in = append(in, corev1.LoadBalancerIngress{IP: a})
		} else {
			in = append(in, corev1.LoadBalancerIngress{Hostname: a})
		}
	}
	return in
}

// endpoints writes the EndpointSlice of Service ns/svc, as the EndpointSlice
// controller would: one endpoint, ready or not.
func endpoints(t testing.TB, client kubernetes.Interface, ns, svc string, ready bool) {
	t.Helper()
	ctx := context.Background()
	port, proto := int32(8080), corev1.ProtocolTCP
	slice := &discoveryv1.EndpointSlice{
		ObjectMeta:  metav1.ObjectMeta{Name: svc + "-1", Labels: map[string]string{discoveryv1.LabelServiceName: svc}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"10.0.0.7"}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}},
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
