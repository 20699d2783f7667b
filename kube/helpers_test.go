package kube

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/gslb/gslb/internal/kubetest"
)

// within bounds a wait for an informer to hear a write: a watch event is
// milliseconds, a list retried after an error seconds.
const within = 30 * time.Second

// newTestRegistry checks the API every 100 ms, so an outage shows at once.
func newTestRegistry(grace time.Duration) *Registry {
	r := NewRegistry()
	r.checkEvery, r.checkTimeout = 100*time.Millisecond, 2*time.Second
	r.clusters.Grace, r.watches.Grace = grace, grace
	return r
}

// counter is an onChange that counts its calls.
func counter() (func(), *atomic.Int32) {
	var n atomic.Int32
	return func() { n.Add(1) }, &n
}

// acquire holds sources until the test ends and waits for their sync.
func acquire(t *testing.T, r *Registry, onChange func(), sources ...Source) *Lease {
	t.Helper()
	l, err := r.Acquire(sources, onChange)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Release)
	select {
	case <-l.Synced():
	case <-time.After(within):
		t.Fatalf("%v: not synced within %v", sources, within)
	}
	return l
}

// waitFound waits until source i of l finds want.
func waitFound(t *testing.T, l *Lease, i int, want ...Found) {
	t.Helper()
	var got []Found
	deadline := time.Now().Add(within)
	for got = l.Found(i); !slices.Equal(got, want); got = l.Found(i) {
		if time.Now().After(deadline) {
			t.Fatalf("found %s, want %s", show(got), show(want))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func show(fs []Found) string {
	s := "["
	for _, f := range fs {
		s += fmt.Sprintf("{%v%s %s ready=%v %q} ", f.Addr, f.Host, f.Object, f.Ready, f.Reason)
	}
	return s + "]"
}

func up(obj string, addr string) Found    { return member(obj, addr, true, "") }
func down(obj, addr, reason string) Found { return member(obj, addr, false, reason) }

// member is a Found of an address, or else a host name.
func member(obj, addr string, ready bool, reason string) Found {
	f := Found{Object: obj, Ready: ready, Reason: reason}
	if a, ok := ipAddress(addr); ok {
		f.Addr = a.addr
	} else {
		f.Host = addr
	}
	return f
}

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

// admin is the test's cluster through its admin's kubeconfig, as the
// kubeconfig option names it.
func admin(c *kubetest.Cluster, name string) Cluster {
	return Cluster{Name: name, Kubeconfig: c.Kubeconfig}
}

// stillWithin fails t unless cond stays true for d: no event expected.
func stillWithin(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if !cond() {
			t.Fatal(what)
		}
	}
}
