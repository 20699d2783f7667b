package kube

import (
	"context"
	"net/netip"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	corev1informers "k8s.io/client-go/informers/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

// seen is a status the benchmark's own informer delivered: the Service's
// ingress address, and when the handler got it.
type seen struct {
	ip netip.Addr
	at time.Time
}

// watchService runs an informer of namespace bench's Services, as the
// plugin's for a named Service is, and sends Service name's ingress
// address to the channel at each update; it stops when the benchmark ends.
func watchService(b *testing.B, client kubernetes.Interface, name string) <-chan seen {
	b.Helper()
	ch := make(chan seen, 64)
	inf := corev1informers.NewServiceInformer(client, ns, 0, cache.Indexers{})
	_, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{UpdateFunc: func(_, obj any) {
		at := time.Now()
		svc, ok := obj.(*corev1.Service)
		if !ok || svc.Name != name || len(svc.Status.LoadBalancer.Ingress) == 0 {
			return
		}
		ip, _ := netip.ParseAddr(svc.Status.LoadBalancer.Ingress[0].IP)
		select {
		case ch <- seen{ip, at}:
		default: // the benchmark reads every event it waits for; older ones may go
		}
	}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); inf.RunWithContext(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		b.Fatal("the benchmark's informer did not sync")
	}
	return ch
}

// waitSeen is when the informer delivered ip, skipping older events.
func waitSeen(b *testing.B, ch <-chan seen, ip netip.Addr) time.Time {
	b.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case s := <-ch:
			if s.ip == ip {
				return s.at
			}
		case <-timeout:
			b.Fatalf("the informer did not deliver %s within 10s", ip)
		}
	}
}
