package kube

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/internal/kubetest"
	"github.com/gslb/gslb/internal/poll"
)

// Leases of sources in one namespace share its watches: no informer more
// for the second, synced at once. The last Release stops the informers and
// the API check, and keeps the caches: a lease
// within the grace period is synced at once and finds the members, while a
// new informer catches up.
func testSharedWatches(t *testing.T, c *kubetest.Cluster, r *Registry) {
	kubetest.Namespace(t, c.Client, "share")
	kubetest.LBService(t, c.Client, "share", "web", metav1.ObjectMeta{}, "192.0.2.50")
	kubetest.LBService(t, c.Client, "share", "api", metav1.ObjectMeta{}, "192.0.2.51")
	kubetest.Endpoints(t, c.Client, "share", "web", true)
	main := admin(c, "shared")
	web := Source{Cluster: main, Kind: Service, Namespace: "share", Name: "web"}
	api := Source{Cluster: main, Kind: Service, Namespace: "share", Name: "api"}

	first := acquire(t, r, nil, web)
	waitFound(t, first, 0, up("service share/web", "192.0.2.50"))
	started := r.informers.Load()
	second, err := r.Acquire([]Source{api, web}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !poll.Closed(second.Synced()) || r.informers.Load() != started || r.watches.Len() != 2 || r.clusters.Len() != 1 {
		t.Fatalf("second lease: synced %v, %d informers started (were %d), %d watches, %d clusters: want synced at once, none more, 2 and 1",
			poll.Closed(second.Synced()), r.informers.Load(), started, r.watches.Len(), r.clusters.Len())
	}
	waitFound(t, second, 0, down("service share/api", "192.0.2.51", "service share/api has no ready endpoint"))

	first.Release()
	second.Release()
	for _, rd := range second.readers {
		for _, e := range []*watchHeld{rd.objects, rd.slices} {
			if !poll.Closed(r.watches.Worker(e).Done()) {
				t.Fatalf("%v: informer still running after the last Release", e.Val.key)
			}
		}
	}
	if !poll.Closed(r.clusters.Worker(r.clusters.Get(main)).Done()) {
		t.Fatal("API check still running after the last Release")
	}
	again, err := r.Acquire([]Source{web}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Release()
	if !poll.Closed(again.Synced()) {
		t.Fatal("re-acquired within the grace period: not synced at once")
	}
	if got, want := again.Found(0), up("service share/web", "192.0.2.50"); len(got) != 1 || got[0] != want {
		t.Fatalf("re-acquired within the grace period: found %s at once, want %s", show(got), show([]Found{want}))
	}
	poll.Until(t, "new informers for the released watches", within, func() bool { return r.informers.Load() == started+2 })
	time.Sleep(100 * time.Millisecond) // their sync replaces the kept caches
	waitFound(t, again, 0, up("service share/web", "192.0.2.50"))
}
