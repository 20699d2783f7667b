package kube

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

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

// settled is l's version once the events of what a test wrote are in:
// Found sees the cache a moment before its event is handed out.
func settled(t *testing.T, l *Lease) uint64 {
	t.Helper()
	for deadline := time.Now().Add(within); time.Now().Before(deadline); {
		v := l.Version()
		time.Sleep(200 * time.Millisecond)
		if l.Version() == v {
			return v
		}
	}
	t.Fatal("the version never settled")
	return 0
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
