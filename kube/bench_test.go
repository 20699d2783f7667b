package kube

import (
	"slices"
	"strconv"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/internal/kubetest"
	"github.com/gslb/gslb/internal/poll"
)

// The cost of reading a selector's 1,000 Services (each with a ready
// EndpointSlice) from the caches of a real API server's informers: what the
// refresher pays for each change of a large source.
func BenchmarkFound(b *testing.B) {
	c := kubetest.Start(b)
	kubetest.Namespace(b, c.Client, "bench")
	const n = 1000
	var wg sync.WaitGroup
	work := make(chan int)
	for range 8 { // the server takes writes in parallel; one at a time would take long
		wg.Go(func() {
			for i := range work {
				name := "svc-" + strconv.Itoa(i)
				kubetest.LBService(b, c.Client, "bench", name, metav1.ObjectMeta{Labels: map[string]string{"app": "bench"}}, "198.18."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256))
				kubetest.Endpoints(b, c.Client, "bench", name, true)
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()

	r := NewRegistry()
	l, err := r.Acquire([]Source{{Cluster: admin(c, "bench"), Kind: Service, Namespace: "bench", Selector: "app=bench"}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Release()
	poll.Until(b, "every Service found, ready", within, func() bool {
		found := l.Found(0)
		return len(found) == n && !slices.ContainsFunc(found, func(f Found) bool { return !f.Ready })
	})
	b.Run("1000 services", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(l.Found(0)) != n {
				b.Fatal("members lost")
			}
		}
	})
}
