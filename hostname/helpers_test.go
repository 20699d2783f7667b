package hostname

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// newTestRegistry is a registry with short timings and no system
// resolvers: no test asks anything but a fake on loopback.
func newTestRegistry() *Registry {
	r := NewRegistry()
	r.timing = timing{
		timeout:    time.Second,
		minTTL:     50 * time.Millisecond,
		maxTTL:     time.Hour,
		maxNegTTL:  time.Minute,
		noSOA:      100 * time.Millisecond,
		backoffMin: 20 * time.Millisecond,
		backoffMax: 200 * time.Millisecond,
	}
	r.set.Grace = time.Minute
	r.readSystem = func() ([]string, error) { return nil, errors.New("no system resolvers in tests") }
	return r
}

// counter is a changed func and how often it was called.
func counter() (func(), *atomic.Int32) {
	n := new(atomic.Int32)
	return func() { n.Add(1) }, n
}

// acquire acquires names through server for the test's duration.
func acquire(t testing.TB, r *Registry, server string, changed func(), names ...string) *Lease {
	l := r.Acquire(server, names, changed)
	t.Cleanup(l.Release)
	return l
}

// waitFirst waits for l's first round.
func waitFirst(t testing.TB, l *Lease) {
	t.Helper()
	select {
	case <-l.FirstRound():
	case <-time.After(10 * time.Second):
		t.Fatal("first round not finished")
	}
}
