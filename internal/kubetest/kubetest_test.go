package kubetest

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// publishService writes what a cloud controller and the EndpointSlice
// controller would for a LoadBalancer Service at ingress: its status and
// one slice of an endpoint that is ready or not.
func publishService(t *testing.T, client kubernetes.Interface, ns, name, ingress string, ready bool) {
	t.Helper()
	ctx := context.Background()
	if _, err := client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	svc, err := client.CoreV1().Services(ns).Create(ctx, &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.ServiceSpec{
			Type:  corev1.ServiceTypeLoadBalancer,
			Ports: []corev1.ServicePort{{Name: "http", Port: 80}},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: ingress}}
	if _, err := client.CoreV1().Services(ns).UpdateStatus(ctx, svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	port, proto := int32(8080), corev1.ProtocolTCP
	slice := &discoveryv1.EndpointSlice{
		ObjectMeta:  metav1.ObjectMeta{Name: name + "-1", Labels: map[string]string{discoveryv1.LabelServiceName: name}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"10.0.0.7"}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}},
		Ports:       []discoveryv1.EndpointPort{{Name: ptr("http"), Port: &port, Protocol: &proto}},
	}
	if _, err := client.DiscoveryV1().EndpointSlices(ns).Create(ctx, slice, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// checkService reads back what publishService wrote.
func checkService(t *testing.T, client kubernetes.Interface, ns, name, ingress string, ready bool) {
	t.Helper()
	ctx := context.Background()
	svc, err := client.CoreV1().Services(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := svc.Status.LoadBalancer.Ingress; len(got) != 1 || got[0].IP != ingress {
		t.Errorf("%s/%s: ingress %+v, want %s", ns, name, got, ingress)
	}
	slices, err := client.DiscoveryV1().EndpointSlices(ns).List(ctx, metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=" + name})
	if err != nil {
		t.Fatal(err)
	}
	if len(slices.Items) != 1 || len(slices.Items[0].Endpoints) != 1 {
		t.Fatalf("%s/%s: slices %+v, want one of one endpoint", ns, name, slices.Items)
	}
	if c := slices.Items[0].Endpoints[0].Conditions; c.Ready == nil || *c.Ready != ready {
		t.Errorf("%s/%s: endpoint conditions %+v, want ready %v", ns, name, c, ready)
	}
}

func TestServiceStatusAndEndpointSlice(t *testing.T) {
	c := Start(t)
	publishService(t, c.Client, "shop", "web", "192.0.2.10", true)
	checkService(t, c.Client, "shop", "web", "192.0.2.10", true)

	// The kubeconfig file reaches the same server as the admin.
	cfg, err := clientcmd.BuildConfigFromFlags("", c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkService(t, client, "shop", "web", "192.0.2.10", true)
}

// Two clusters are independent: each has its own store.
func TestTwoClusters(t *testing.T) {
	eu, us := Start(t), Start(t)
	publishService(t, eu.Client, "shop", "web", "192.0.2.10", true)
	publishService(t, us.Client, "shop", "web", "198.51.100.20", false)
	checkService(t, eu.Client, "shop", "web", "192.0.2.10", true)
	checkService(t, us.Client, "shop", "web", "198.51.100.20", false)
}

func ptr[T any](v T) *T { return &v }
