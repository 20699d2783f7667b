package healthcheck

import (
	"github.com/gslb/gslb/internal/poll"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// backend is an HTTP server on loopback that can be killed and restarted
// on the same address.
type backend struct {
	t    *testing.T
	addr string
	srv  *http.Server
	hits atomic.Int32
	lag  time.Duration // answer delay
}

func startBackend(t *testing.T, lag time.Duration) *backend {
	b := &backend{t: t, addr: "127.0.0.1:0", lag: lag}
	b.start()
	t.Cleanup(b.kill)
	return b
}

func (b *backend) start() {
	b.t.Helper()
	l, err := net.Listen("tcp", b.addr)
	if err != nil {
		b.t.Fatal(err)
	}
	b.addr = l.Addr().String()
	b.srv = &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		b.hits.Add(1)
		time.Sleep(b.lag)
	})}
	go b.srv.Serve(l)
}

func (b *backend) kill() { b.srv.Close() }

func (b *backend) target(path string) Target {
	c := testCheck(HTTP)
	c.Path, c.Timeout = path, 90*time.Millisecond
	return Target{Addr: b.addr, Check: c}
}

// changes returns an onChange func and the channel it signals.
func changes() (func(), chan struct{}) {
	ch := make(chan struct{}, 1)
	return func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}, ch
}

// awaitState waits for onChange signals until target is in want.
func awaitState(t *testing.T, l *Lease, target Target, changed <-chan struct{}, want State, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for l.Status(target).State != want {
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("%s not %s within %s: %+v", target.Addr, want, within, l.Status(target))
		}
	}
}

func TestRegistrySharesOneProberPerKey(t *testing.T) {
	b := startBackend(t, 0)
	r := NewRegistry(8)
	t1 := b.target("/a")
	t2 := t1
	t2.Check.Name = "same probe, another name"
	l1 := r.Acquire([]Target{t1, t1}, nil)
	l2 := r.Acquire([]Target{t2}, nil)
	defer l2.Release()

	e := l1.entries[t1.Key()]
	if r.set.Len() != 1 || len(l1.entries) != 1 || e == nil || l2.entries[t2.Key()] != e {
		t.Fatalf("registry has %d entries, leases %d and %d: want one shared entry", r.set.Len(), len(l1.entries), len(l2.entries))
	}
	p := r.set.Worker(e)

	l1.Release()
	l1.Release() // idempotent
	if poll.Closed(p.Done()) {
		t.Fatal("prober stopped while another lease holds it")
	}
	hits := b.hits.Load()
	poll.Until(t, "prober keeps probing for the other lease", 2*time.Second, func() bool { return b.hits.Load() >= hits+2 })

	l2.Release()
	if !poll.Closed(p.Done()) {
		t.Fatal("prober still running after its last lease was released")
	}
	if r.set.Worker(e) != p || r.set.Len() != 1 {
		t.Fatal("state dropped at release, want it kept for the grace period")
	}
}

func TestRegistryReloadKeepsState(t *testing.T) {
	b := startBackend(t, 0)
	r := NewRegistry(8)
	target := b.target("/")
	onChange, changed := changes()
	old := r.Acquire([]Target{target}, onChange)
	awaitState(t, old, target, changed, Up, 2*time.Second)
	p := r.set.Worker(old.entries[target.Key()])

	// CoreDNS order: the new config starts before the old one stops.
	next := r.Acquire([]Target{target}, nil)
	if !poll.Closed(next.FirstRound()) || next.Status(target).State != Up {
		t.Fatalf("re-acquired target: first round closed %t, status %+v; want closed and up at once", poll.Closed(next.FirstRound()), next.Status(target))
	}
	old.Release()
	if poll.Closed(p.Done()) || r.set.Worker(next.entries[target.Key()]) != p {
		t.Fatal("prober restarted across a reload")
	}

	// Other order: stop, then start again within the grace period.
	next.Release()
	again := r.Acquire([]Target{target}, nil)
	defer again.Release()
	if !poll.Closed(again.FirstRound()) || again.Status(target).State != Up {
		t.Fatalf("after release and acquire: first round closed %t, status %+v; want closed and up at once", poll.Closed(again.FirstRound()), again.Status(target))
	}
	if r.set.Worker(again.entries[target.Key()]) == p {
		t.Fatal("stopped prober reused, want a new one")
	}
}

// probeCounts returns how many probes of kind ran against addr and how many failed.
func probeCounts(t *testing.T, kind Kind, addr string) (probes, failures int) {
	for _, m := range series(t, probeDuration, "target", addr) {
		if label(m, "kind") == kind.String() {
			probes += int(m.GetHistogram().GetSampleCount())
		}
	}
	for _, m := range series(t, probeFailures, "target", addr) {
		failures += int(m.GetCounter().GetValue())
	}
	return probes, failures
}

func TestRegistryOnChangeDownAndUp(t *testing.T) {
	b := startBackend(t, 0)
	r := NewRegistry(8)
	target := b.target("/")
	c := target.Check
	onChange, changed := changes()
	l := r.Acquire([]Target{target}, onChange)
	defer l.Release()
	awaitState(t, l, target, changed, Up, time.Duration(c.Rise+2)*c.Interval+slack)

	probes, failures := probeCounts(t, HTTP, b.addr)
	b.kill()
	awaitState(t, l, target, changed, Down, time.Duration(c.Fall+1)*c.Interval+slack)
	if s := l.Status(target); !strings.HasPrefix(s.Err, reasonRefused+": ") {
		t.Fatalf("down for a killed backend: %+v, want a refused error", s)
	}
	// Down on the fall-th failure, not before or after (onChange runs before
	// the next probe starts).
	p, f := probeCounts(t, HTTP, b.addr)
	if f-failures != c.Fall || p-probes > c.Fall+1 {
		t.Fatalf("down after %d probes with %d failures, want %d failures", p-probes, f-failures, c.Fall)
	}

	probes, failures = p, f
	b.start()
	awaitState(t, l, target, changed, Up, time.Duration(c.Rise+1)*c.Interval+slack)
	if s := l.Status(target); s.Err != "" || s.Factor != 1 {
		t.Fatalf("back up: %+v, want no error and factor 1", s)
	}
	if p, f = probeCounts(t, HTTP, b.addr); (p-probes)-(f-failures) < c.Rise {
		t.Fatalf("up after %d successful probes, want at least %d", (p-probes)-(f-failures), c.Rise)
	}
}

func TestRegistrySlowBackendLowersFactor(t *testing.T) {
	b := startBackend(t, 30*time.Millisecond)
	r := NewRegistry(8)
	target := b.target("/")
	target.Check.Rise, target.Check.Slow = 1, 10*time.Millisecond
	onChange, changed := changes()
	l := r.Acquire([]Target{target}, onChange)
	defer l.Release()
	awaitState(t, l, target, changed, Up, 5*time.Second)
	s := l.Status(target)
	if s.Latency < b.lag || s.Factor < minFactor || s.Factor > 0.35 {
		t.Fatalf("backend answering in %s with slow %s: %+v, want latency above %s and factor in [%v, 0.35]",
			b.lag, target.Check.Slow, s, b.lag, minFactor)
	}
}

func TestLeaseFirstRound(t *testing.T) {
	r := NewRegistry(8)
	if empty := r.Acquire(nil, nil); !poll.Closed(empty.FirstRound()) {
		t.Fatal("first round of an empty lease not closed")
	}

	b := startBackend(t, 0)
	hung := newHungServer(t)
	slow := b.target("/")
	slow.Addr, slow.Check.Timeout, slow.Check.Interval = hung.Addr().String(), 150*time.Millisecond, time.Second
	start := time.Now()
	l := r.Acquire([]Target{b.target("/"), slow}, nil)
	defer l.Release()
	select {
	case <-l.FirstRound():
	case <-time.After(3 * time.Second):
		t.Fatal("first round not finished")
	}
	if took := time.Since(start); took < slow.Check.Timeout {
		t.Fatalf("first round closed after %s, before the hung probe could time out (%s)", took, slow.Check.Timeout)
	}
	if s := l.Status(slow); s.State != Unknown || s.Err == "" {
		t.Fatalf("hung target after one probe: %+v, want unknown with a failure", s)
	}

	// A released lease does not leave its waiters hanging.
	pending := slow
	pending.Check.Timeout, pending.Check.Interval = 2*time.Second, 3*time.Second
	l2 := r.Acquire([]Target{pending}, nil)
	if poll.Closed(l2.FirstRound()) {
		t.Fatal("first round closed before any probe")
	}
	l2.Release()
	if !poll.Closed(l2.FirstRound()) {
		t.Fatal("first round still open after release")
	}
}

func TestProberStopsPromptly(t *testing.T) {
	hung := newHungServer(t)
	c := testCheck(HTTP)
	c.Path, c.Timeout, c.Interval = "/", 5*time.Second, 10*time.Second
	l := NewRegistry(8).Acquire([]Target{{Addr: hung.Addr().String(), Check: c}}, nil)
	<-hung.accepted // a probe is in flight
	start := time.Now()
	l.Release()
	if took := time.Since(start); took > time.Second {
		t.Fatalf("release took %s with a probe in flight, want well under the %s timeout", took, c.Timeout)
	}
}

func TestRegistryBoundsConcurrentProbes(t *testing.T) {
	var inFlight, peak, probes atomic.Int32
	srv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		probes.Add(1)
	})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })

	const limit = 2
	var targets []Target
	for _, path := range []string{"/1", "/2", "/3", "/4", "/5", "/6"} {
		c := testCheck(HTTP)
		// A timeout well above the answer time: a probe given up on would
		// free its slot while the server still counts it in flight.
		c.Path, c.Interval, c.Timeout = path, 300*time.Millisecond, 290*time.Millisecond
		targets = append(targets, Target{Addr: l.Addr().String(), Check: c})
	}
	lease := NewRegistry(limit).Acquire(targets, nil)
	defer lease.Release()
	poll.Until(t, "18 probes", 10*time.Second, func() bool { return probes.Load() >= 18 })
	if p := peak.Load(); p > limit || p < 1 {
		t.Fatalf("peak of %d concurrent probes, want at most %d", p, limit)
	}
}

func TestLeaseStatusOfForeignTarget(t *testing.T) {
	l := NewRegistry(1).Acquire(nil, nil)
	if s := l.Status(Target{Addr: "192.0.2.1:80", Check: testCheck(TCP)}); s.State != Unknown || s.Factor != 1 {
		t.Fatalf("status of a target not in the lease: %+v, want unknown with factor 1", s)
	}
}

func TestOnChangeNotCalledAfterRelease(t *testing.T) {
	r := NewRegistry(1)
	target := Target{Addr: closedPort(t, "tcp"), Check: testCheck(TCP)}
	target.Check.Rise, target.Check.Fall = 1, 1
	var calls atomic.Int32
	l := r.Acquire([]Target{target}, func() { calls.Add(1) })
	e := l.entries[target.Key()]
	poll.Until(t, "down", 2*time.Second, func() bool { return l.Status(target).State == Down })
	if calls.Load() == 0 {
		t.Fatal("onChange not called on the change to down")
	}
	l.Release()
	before := calls.Load()
	r.report(e, nil, time.Millisecond, Word{}) // what a late probe result would do: up again
	if e.Val.status().State != Up || calls.Load() != before {
		t.Fatalf("after release: state %s, onChange calls %d → %d; want up and no call", e.Val.status().State, before, calls.Load())
	}
}

func TestRegistryForgetsTargetsAfterGrace(t *testing.T) {
	r := NewRegistry(8)
	r.set.Grace = 50 * time.Millisecond
	addr := closedPort(t, "tcp")
	httpTarget := Target{Addr: addr, Check: testCheck(HTTP)}
	httpTarget.Check.Path = "/"
	tcpTarget := Target{Addr: addr, Check: testCheck(TCP)}
	lh := r.Acquire([]Target{httpTarget}, nil)
	lt := r.Acquire([]Target{tcpTarget}, nil)
	defer lt.Release()
	<-lh.FirstRound()
	<-lt.FirstRound()
	if n := len(series(t, probeFailures, "target", addr)); n != 1 {
		t.Fatalf("%d failure series for %s, want 1 (refused)", n, addr)
	}

	lh.Release()
	poll.Until(t, "http entry dropped", 2*time.Second, func() bool {
		return r.set.Get(httpTarget.Key()) == nil
	})
	kinds := map[string]bool{}
	for _, m := range series(t, probeDuration, "target", addr) {
		kinds[label(m, "kind")] = true
	}
	if kinds["http"] || !kinds["tcp"] || len(series(t, probeFailures, "target", addr)) != 1 {
		t.Fatalf("after the http prober expired: duration kinds %v, want tcp only; failure series kept for the tcp prober", kinds)
	}

	lt.Release()
	poll.Until(t, "all series of the address deleted", 2*time.Second, func() bool {
		return len(series(t, probeDuration, "target", addr))+len(series(t, probeFailures, "target", addr)) == 0
	})
}

// StatusAt reads the targets in the order given to Acquire, a duplicate at
// each of its positions, without formatting keys.
func TestLeaseStatusAtFollowsAcquireOrder(t *testing.T) {
	up, down := startBackend(t, 0), Target{Addr: closedPort(t, "tcp"), Check: testCheck(TCP)}
	upTarget := up.target("/")
	upTarget.Check.Rise = 1
	l := NewRegistry(4).Acquire([]Target{down, upTarget, down}, nil)
	defer l.Release()
	<-l.FirstRound()
	poll.Until(t, "up target up", 2*time.Second, func() bool { return l.StatusAt(1).State == Up })
	for _, i := range []int{0, 2} {
		if s := l.StatusAt(i); s.State == Up || s.Err == "" || s != l.Status(down) {
			t.Fatalf("StatusAt(%d) = %+v, want the refused target's status %+v", i, s, l.Status(down))
		}
	}
	if l.at[0] != l.at[2] || len(l.entries) != 2 {
		t.Fatalf("duplicate target: %d entries, positions 0 and 2 share one: %t; want 2 and true", len(l.entries), l.at[0] == l.at[2])
	}
}
