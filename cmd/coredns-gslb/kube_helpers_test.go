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
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/gslb/gslb/internal/kubetest"
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
	for _, in := range kubetest.LBIngress(ingress) {
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
