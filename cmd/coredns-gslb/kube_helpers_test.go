package main

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// siteBackends are HTTP backends on several loopback addresses at one
// port, as the sites behind a cluster's load balancers: a check of the
// pool probes each discovered address at that port.
type siteBackends struct {
	port    string
	servers map[string]*http.Server
}

// newSiteBackends listens on every address at one port, retrying with
// another port while one address has it taken.
func newSiteBackends(t *testing.T, addrs ...string) *siteBackends {
	t.Helper()
	for attempt := 0; attempt < 20; attempt++ {
		first, err := net.Listen("tcp", net.JoinHostPort(addrs[0], "0"))
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(first.Addr().String())
		listeners := []net.Listener{first}
		for _, a := range addrs[1:] {
			l, err := net.Listen("tcp", net.JoinHostPort(a, port))
			if err != nil {
				break
			}
			listeners = append(listeners, l)
		}
		if len(listeners) < len(addrs) {
			for _, l := range listeners {
				l.Close()
			}
			continue
		}
		b := &siteBackends{port: port, servers: map[string]*http.Server{}}
		for i, l := range listeners {
			srv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})}
			b.servers[addrs[i]] = srv
			go srv.Serve(l)
		}
		t.Cleanup(func() {
			for _, srv := range b.servers {
				srv.Close()
			}
		})
		return b
	}
	t.Fatalf("no port free on all of %v", addrs)
	return nil
}

// kill stops the backend at addr: its probes fail from then on.
func (b *siteBackends) kill(addr string) { b.servers[addr].Close() }

// ensureNamespace creates namespace ns unless it is there.
func ensureNamespace(t *testing.T, client kubernetes.Interface, ns string) {
	t.Helper()
	_, err := client.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// lbService creates LoadBalancer Service ns/name with labels and
// annotations, and writes its load balancer's status, as a cloud
// controller would: ingress entries are addresses or host names.
func lbService(t *testing.T, client kubernetes.Interface, ns, name string, labels, annotations map[string]string, ingress ...string) {
	t.Helper()
	ensureNamespace(t, client, ns)
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels, Annotations: annotations},
		Spec:       corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Ports: []corev1.ServicePort{{Name: "http", Port: 80}}},
	}
	if _, err := client.CoreV1().Services(ns).Create(context.Background(), svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	setLBStatus(t, client, ns, name, ingress...)
}

// setLBStatus replaces Service ns/name's load balancer ingress entries.
func setLBStatus(t *testing.T, client kubernetes.Interface, ns, name string, ingress ...string) {
	t.Helper()
	ctx := context.Background()
	svc, err := client.CoreV1().Services(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Status.LoadBalancer.Ingress = loadBalancerIngress(ingress)
	if _, err := client.CoreV1().Services(ns).UpdateStatus(ctx, svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func loadBalancerIngress(entries []string) []corev1.LoadBalancerIngress {
	var out []corev1.LoadBalancerIngress
	for _, e := range entries {
		if net.ParseIP(e) != nil {
			out = append(out, corev1.LoadBalancerIngress{IP: e})
		} else {
			out = append(out, corev1.LoadBalancerIngress{Hostname: e})
		}
	}
	return out
}

// setEndpoints writes the one EndpointSlice of Service ns/name, as the
// EndpointSlice controller would, with one endpoint ready or not. Its
// address is a pod's: answer data only, nothing dials it.
func setEndpoints(t *testing.T, client kubernetes.Interface, ns, service string, ready bool) {
	t.Helper()
	ctx := context.Background()
	slice := &discoveryv1.EndpointSlice{
		ObjectMeta:  metav1.ObjectMeta{Name: service + "-abcde", Labels: map[string]string{discoveryv1.LabelServiceName: service}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"192.0.2.200"}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}},
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

// answerSet is the sorted addresses s answers name with over UDP, asked
// by client (an ECS subnet; "" for none).
func answerSet(t *testing.T, s *server, name string, qtype uint16, client string) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	if client != "" {
		_, n, err := net.ParseCIDR(client)
		if err != nil {
			t.Fatal(err)
		}
		ones, _ := n.Mask.Size()
		family := uint16(1)
		if n.IP.To4() == nil {
			family = 2
		}
		m.SetEdns0(1232, false)
		opt := m.IsEdns0()
		opt.Option = append(opt.Option, &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: family, SourceNetmask: uint8(ones), Address: n.IP})
	}
	r := s.exchange(t, "udp", m)
	var out []string
	for _, rr := range r.Answer {
		switch rr := rr.(type) {
		case *dns.A:
			out = append(out, rr.A.String())
		case *dns.AAAA:
			out = append(out, rr.AAAA.String())
		}
	}
	slices.Sort(out)
	return out
}

// waitAnswers waits until s answers name with exactly want (sorted), and
// returns how long that took, failing the test after within.
func waitAnswers(t *testing.T, s *server, name string, qtype uint16, client string, within time.Duration, want ...string) time.Duration {
	t.Helper()
	slices.Sort(want)
	var got []string
	return eventuallyf(t, within, func() bool {
		got = answerSet(t, s, name, qtype, client)
		return slices.Equal(got, want)
	}, func() string {
		return name + " " + dns.TypeToString[qtype] + ": answered " + strings.Join(got, " ") + ", want " + strings.Join(want, " ") + "\n" + s.out.String()
	})
}

// member is pool's member named name in the report's first stanza, nil
// when there is none.
func (r report) member(pool, name string) *reportMember {
	for _, p := range r.Stanzas[0].Pools {
		if p.Name != pool {
			continue
		}
		for i := range p.Members {
			if p.Members[i].Member == name {
				m := reportMember(p.Members[i])
				return &m
			}
		}
	}
	return nil
}

type reportMember struct {
	Member string `json:"member"`
	State  string `json:"state"`
	Reason string `json:"reason"`
	From   string `json:"from"`
}

func memberFrom(r report, pool, name string) string {
	if m := r.member(pool, name); m != nil {
		return m.From
	}
	return ""
}

func memberState(r report, pool, name string) string {
	if m := r.member(pool, name); m != nil {
		return m.State
	}
	return ""
}

func memberReason(r report, pool, name string) string {
	if m := r.member(pool, name); m != nil {
		return m.Reason
	}
	return ""
}

// lbIngress creates Ingress ns/name with one rule to Service backend, and
// writes its load balancer's status, as an ingress controller would.
func lbIngress(t *testing.T, client kubernetes.Interface, ns, name, backend string, ingress ...string) {
	t.Helper()
	ctx := context.Background()
	prefix := networkingv1.PathTypePrefix
	ing := &networkingv1.Ingress{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: networkingv1.IngressSpec{Rules: []networkingv1.IngressRule{{
			Host: "shop.example.com",
			IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{Paths: []networkingv1.HTTPIngressPath{{
				Path: "/", PathType: &prefix,
				Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: backend, Port: networkingv1.ServiceBackendPort{Number: 80}}},
			}}}},
		}}},
	}
	created, err := client.NetworkingV1().Ingresses(ns).Create(ctx, ing, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range loadBalancerIngress(ingress) {
		created.Status.LoadBalancer.Ingress = append(created.Status.LoadBalancer.Ingress, networkingv1.IngressLoadBalancerIngress{IP: in.IP, Hostname: in.Hostname})
	}
	if _, err := client.NetworkingV1().Ingresses(ns).UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// relabel sets Service ns/name's labels.
func relabel(t *testing.T, client kubernetes.Interface, ns, name string, labels map[string]string) {
	t.Helper()
	ctx := context.Background()
	svc, err := client.CoreV1().Services(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Labels = labels
	if _, err := client.CoreV1().Services(ns).Update(ctx, svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}
