package kube

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"sync"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// The objects are written as a cluster's controllers would: no controller
// runs beside kubetest's API server.

const (
	ns       = "bench"
	services = 1000
	selector = "app=web" // the label of the 1,000, as the Corefiles select them
)

// memberAddr is the i-th of the 1,000 addresses: loopback, never probed
// (the pools have no check).
func memberAddr(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{127, 10, byte(i / 250), byte(i%250 + 1)})
}

// memberSet is the 1,000 addresses.
func memberSet() map[netip.Addr]bool {
	want := make(map[netip.Addr]bool, services)
	for i := range services {
		want[memberAddr(i)] = true
	}
	return want
}

// createServices writes the 1,000 Services labelled app=web in namespace
// bench, each with its load balancer's address and a ready EndpointSlice,
// with 8 writers: the server takes writes in parallel.
func createServices(client kubernetes.Interface) error {
	if err := createNamespace(client); err != nil {
		return err
	}
	work := make(chan int)
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for w := range errs {
		wg.Go(func() {
			for i := range work {
				if errs[w] != nil {
					continue // drain: the first error is reported
				}
				name := "web-" + strconv.Itoa(i)
				if _, errs[w] = createService(client, name, map[string]string{"app": "web"}, memberAddr(i)); errs[w] == nil {
					errs[w] = readySlice(client, name)
				}
			}
		})
	}
	for i := range services {
		work <- i
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}

func createNamespace(client kubernetes.Interface) error {
	_, err := client.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

// createService creates LoadBalancer Service bench/name and writes its
// status with ingress ip; it returns the Service as written, for the next
// status update.
func createService(client kubernetes.Interface, name string, labels map[string]string, ip netip.Addr) (*corev1.Service, error) {
	svc, err := client.CoreV1().Services(ns).Create(context.Background(), &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec:       corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Ports: []corev1.ServicePort{{Name: "http", Port: 80}}},
	}, metav1.CreateOptions{})
	if err != nil {
		return nil, err
	}
	return setIngress(client, svc, ip)
}

// setIngress writes svc's load balancer status: one ingress address.
func setIngress(client kubernetes.Interface, svc *corev1.Service, ip netip.Addr) (*corev1.Service, error) {
	svc.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: ip.String()}}
	return client.CoreV1().Services(ns).UpdateStatus(context.Background(), svc, metav1.UpdateOptions{})
}

// readySlice writes Service bench/name's EndpointSlice with one ready
// endpoint. Its address is a pod's, which nothing dials: a documentation
// address, data only.
func readySlice(client kubernetes.Interface, name string) error {
	ready, port, proto := true, int32(8080), corev1.ProtocolTCP
	_, err := client.DiscoveryV1().EndpointSlices(ns).Create(context.Background(), &discoveryv1.EndpointSlice{
		ObjectMeta:  metav1.ObjectMeta{Name: name + "-1", Labels: map[string]string{discoveryv1.LabelServiceName: name}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"192.0.2.200"}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}},
		Ports:       []discoveryv1.EndpointPort{{Port: &port, Protocol: &proto}},
	}, metav1.CreateOptions{})
	return err
}
