package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/fleet"
)

// Fleet health end to end: three coredns-gslb processes (observers a, b
// and c, probing from 127.0.0.2, .3 and .4) share one etcd; the test's
// backends answer each instance's probes as the test says. Helpers are in
// fleet_helpers_test.go.

const app = "app." + fleetZone

// Replies of app while one eu member is down for the fleet: eu is
// degraded, its answers get half the TTL.
const (
	onlyEU10 = "NOERROR 192.0.2.10/15"
	onlyEU11 = "NOERROR 192.0.2.11/15"
)

// Label pairs of the members' series.
var (
	labelsEU1 = []string{"pool", "eu", "member", "192.0.2.10"}
	labelsEU2 = []string{"pool", "eu", "member", "192.0.2.11"}
)

// fleetFailBound: an observer's probes see a failure within failBound (fall
// 2 at interval 200ms), then its vote goes through the store to the others.
const fleetFailBound = failBound + time.Second

// (a) A member failing for one observer's probes only stays up: one down
// vote of three is no majority. The failing instance says so in
// member_local_healthy, and answers by the fleet's verdict.
func TestFleetOneObserverOutvoted(t *testing.T) {
	t.Parallel()
	f := startFleet(t)
	w := f.watch(t)
	f.eu1.set(f.a.source, unavailable)
	w.waitVotes(t, "a", "down", fleetFailBound, eu1)
	for _, in := range f.instances() {
		in.waitGauge(t, "store_votes", []string{"state", "down"}, 1, 2*time.Second)
	}
	expectAll(t, f.instances(), app, fleetEU)
	for _, in := range f.instances() {
		in.holds(t, app, 2*probeInterval, fleetEU)
	}
	expectAll(t, f.instances(), app, fleetEU)

	if v := f.a.gauge(t, "member_local_healthy", labelsEU1...); v != 0 {
		t.Errorf("instance a: member_local_healthy{eu, 192.0.2.10} %v, want 0: its own probes fail", v)
	}
	for _, in := range f.instances() {
		if v := in.gauge(t, "member_healthy", labelsEU1...); v != 1 {
			t.Errorf("instance %s: member_healthy{eu, 192.0.2.10} %v, want 1: the fleet sees it up", in.name, v)
		}
		if in != f.a {
			if v := in.gauge(t, "member_local_healthy", labelsEU1...); v != 1 {
				t.Errorf("instance %s: member_local_healthy{eu, 192.0.2.10} %v, want 1", in.name, v)
			}
		}
		if v := in.gauge(t, "store_observer_isolated", "observer", "a"); v != 0 {
			t.Errorf("instance %s: store_observer_isolated{observer=a} %v, want 0: one contradicted member is no fiber cut", in.name, v)
		}
	}

	// Healed: a's vote is up again, and nothing changed for the answers.
	f.eu1.set(f.a.source, answerOK)
	w.waitVotes(t, "a", "up", fleetFailBound, eu1)
	f.a.waitGauge(t, "member_local_healthy", labelsEU1, 1, 2*time.Second)
	expectAll(t, f.instances(), app, fleetEU)
}

// (b) Both eu members failing for two observers of three: every instance
// fails over to us, the third too although its own probes see eu up. The
// time from the second observer's votes reaching the store to the third
// instance's answer is the fleet's propagation delay.
//
// While a alone sees both eu members down it is cut off by the isolation
// rule (a fiber cut, see TestFleetFiberCutIsolated) and eu stays up; once b
// sees the same, neither is alone, both count, and two of three is a
// majority.
func TestFleetMajorityFailsOver(t *testing.T) {
	t.Parallel()
	f := startFleet(t)
	w := f.watch(t)
	f.eu1.set(f.a.source, unavailable)
	f.eu2.set(f.a.source, unavailable)
	w.waitVotes(t, "a", "down", fleetFailBound, eu1, eu2)
	for _, in := range f.instances() {
		in.waitGauge(t, "store_votes", []string{"state", "down"}, 2, 2*time.Second)
		in.waitGauge(t, "store_observer_isolated", []string{"observer", "a"}, 1, 2*time.Second)
		in.holds(t, app, probeInterval, fleetEU)
	}

	failed := time.Now()
	f.eu1.set(f.b.source, unavailable)
	f.eu2.set(f.b.source, unavailable)
	at := pollFleet(t, f.instances(), app, failed, fleetFailBound, fleetUS, fleetEU, onlyEU10, onlyEU11)
	verdict := w.waitVotes(t, "b", "down", 2*time.Second, eu1, eu2)
	for i, in := range f.instances() {
		t.Logf("instance %s answers from us %v after the failure, %v after observer b's second down vote reached the test's watch",
			in.name, at[i].Sub(failed).Round(time.Millisecond), at[i].Sub(verdict).Round(time.Millisecond))
	}
	if d := at[2].Sub(verdict); d > time.Second {
		t.Errorf("instance c answered from us %v after observer b's verdict reached the store, want within 1s", d)
	}
	t.Logf("propagation: observer b's verdict to instance c's changed answer: %v", at[2].Sub(verdict).Round(time.Millisecond))
	for _, in := range f.instances() {
		in.holds(t, app, probeInterval, fleetUS)
	}
	expectAll(t, f.instances(), app, fleetUS)
	for _, in := range f.instances() {
		for _, o := range []string{"a", "b", "c"} {
			if v := in.gauge(t, "store_observer_isolated", "observer", o); v != 0 {
				t.Errorf("instance %s: store_observer_isolated{observer=%s} %v, want 0: a and b agree", in.name, o, v)
			}
		}
	}
	for _, l := range [][]string{labelsEU1, labelsEU2} {
		if v := f.c.gauge(t, "member_local_healthy", l...); v != 1 {
			t.Errorf("instance c: member_local_healthy%v %v, want 1: its own probes pass", l, v)
		}
		if v := f.c.gauge(t, "member_healthy", l...); v != 0 {
			t.Errorf("instance c: member_healthy%v %v, want 0: down for two of three", l, v)
		}
	}

	// b heals: one of three again, eu is back everywhere.
	healed := time.Now()
	f.eu1.set(f.b.source, answerOK)
	f.eu2.set(f.b.source, answerOK)
	at = pollFleet(t, f.instances(), app, healed, riseBound+time.Second, fleetEU, fleetUS, onlyEU10, onlyEU11)
	t.Logf("b healed: eu answered again by a, b, c %v, %v, %v after", at[0].Sub(healed).Round(time.Millisecond),
		at[1].Sub(healed).Round(time.Millisecond), at[2].Sub(healed).Round(time.Millisecond))
}

// (c) A SIGKILLed observer revokes nothing: its registration and votes
// vanish when its lease expires, the others count one observer fewer and
// recompute their verdicts without its votes. Relaunched, it rejoins under
// a new lease and its votes count again.
func TestFleetKilledObserverExpires(t *testing.T) {
	t.Parallel()
	f := startFleet(t)
	for _, b := range []*sourceBackend{f.eu1, f.eu2} {
		b.set(f.a.source, unavailable)
		b.set(f.c.source, unavailable)
	}
	failed := time.Now()
	pollFleet(t, f.instances(), app, failed, fleetFailBound, fleetUS, fleetEU, onlyEU10, onlyEU11)
	for _, in := range f.instances() {
		in.waitGauge(t, "store_votes", []string{"state", "down"}, 4, 2*time.Second)
	}

	path := f.c.corefilePath(t)
	reg := f.get(t, "observers/c")["observers/c"]
	if reg == nil || reg.Lease == 0 {
		t.Fatalf("observers/c: %+v, want a registration under a lease", reg)
	}
	if n := len(f.ownKeys(t, "c")); n != 4 {
		t.Fatalf("observer c has %d keys in the store, want 4: its registration and 3 votes", n)
	}
	killed := time.Now()
	f.c.kill(t)
	// Its lease was renewed at most a third of it before: its votes still
	// count for two thirds of a lease.
	f.a.holds(t, app, fleetLease/3, fleetUS)
	eventually(t, "observer c's registration and votes gone from the store", fleetLease+fleetSlack, func() bool {
		return len(f.ownKeys(t, "c")) == 0
	})
	gone := time.Since(killed)
	t.Logf("SIGKILL of c: its keys vanished %v after (lease %v)", gone.Round(time.Millisecond), fleetLease)
	for _, in := range []*fleetInstance{f.a, f.b} {
		in.waitGauge(t, "store_observers", nil, 2, 2*time.Second)
	}
	// One down vote of two is no majority: eu is back.
	at := pollFleet(t, []*fleetInstance{f.a, f.b}, app, killed, fleetLease+fleetSlack, fleetEU, fleetUS, onlyEU10, onlyEU11)
	t.Logf("a and b answer eu again %v and %v after the kill", at[0].Sub(killed).Round(time.Millisecond), at[1].Sub(killed).Round(time.Millisecond))
	for _, in := range []*fleetInstance{f.a, f.b} {
		in.holds(t, app, probeInterval, fleetEU)
		if v := in.gauge(t, "member_healthy", labelsEU1...); v != 1 {
			t.Errorf("instance %s: member_healthy{eu, 192.0.2.10} %v, want 1: down for 1 of 2", in.name, v)
		}
	}

	// c again: a new lease, and two of three see eu down.
	relaunched := time.Now()
	f.c.relaunch(t, path)
	at = pollFleet(t, f.instances(), app, relaunched, 10*time.Second, fleetUS, fleetEU, onlyEU10, onlyEU11)
	t.Logf("c relaunched: a, b, c answer from us %v, %v, %v after", at[0].Sub(relaunched).Round(time.Millisecond),
		at[1].Sub(relaunched).Round(time.Millisecond), at[2].Sub(relaunched).Round(time.Millisecond))
	for _, in := range f.instances() {
		in.waitGauge(t, "store_observers", nil, 3, 5*time.Second)
	}
	if again := f.get(t, "observers/c")["observers/c"]; again == nil || again.Lease == 0 || again.Lease == reg.Lease {
		t.Errorf("observers/c after the relaunch: %+v, want a registration under a new lease (the old one was %x)", again, reg.Lease)
	}
}

// (d) The store stops while dnsperf loads instance a, whose own probes
// see eu's 192.0.2.10 down while the fleet sees it up: no query is lost,
// a keeps the fleet's last verdict (eu whole) for a lease, then falls back
// to its own (192.0.2.11 only) and says so in store_local_fallback; when
// the store is back it rejoins and follows the fleet again.
func TestFleetStoreOutageUnderLoad(t *testing.T) {
	t.Parallel()
	dnsperf, err := exec.LookPath("dnsperf")
	if err != nil {
		t.Fatal("dnsperf is not installed: .ci/run installs it (apt-get install dnsperf)")
	}
	f := startFleet(t)
	f.eu1.set(f.a.source, unavailable)
	f.a.waitGauge(t, "member_local_healthy", labelsEU1, 0, fleetFailBound)
	f.a.waitGauge(t, "store_votes", []string{"state", "down"}, 1, 2*time.Second)
	f.a.expect(t, app, fleetEU) // one of three: up
	perf := startDNSPerf(t, dnsperf, f.a.Addr, app, 60*time.Second)
	time.Sleep(500 * time.Millisecond)

	// Until the fallback, every answer is the fleet's; then a's own. The
	// loss is found by a keepalive (every third of the lease, 1s timeout)
	// or the watch; the fleet's verdict holds for a lease from then.
	stopped := time.Now()
	f.etcd.Stop()
	bound := fleetLease + fleetLease/3 + time.Second + fleetSlack
	var lost, fallback, switched time.Duration
	for lost == 0 || fallback == 0 || switched == 0 {
		took := time.Since(stopped)
		if lost == 0 && f.a.gauge(t, "store_connected") == 0 {
			lost = took
		}
		if fallback == 0 && f.a.gauge(t, "store_local_fallback") == 1 {
			fallback = took
		}
		got, want := replySummary(f.a.query(t, "udp", app, dns.TypeA, false)), fleetEU
		if switched != 0 {
			want = onlyEU11
		}
		switch {
		case got == want:
		case switched == 0 && got == onlyEU11:
			switched = took
		default:
			t.Fatalf("instance a: %s A %q %v after the store stopped (lost %v, fallback %v), want %q until the fallback, then %q",
				app, got, took, lost, fallback, fleetEU, onlyEU11)
		}
		if took > bound {
			t.Fatalf("%v after the store stopped: instance a found it lost after %v, fell back after %v, answered by its own verdicts after %v; want all within %v",
				took, lost, fallback, switched, bound)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("store stopped: instance a found it lost %v after, store_local_fallback 1 %v after, answered by its own verdicts %v after (lease %v)",
		lost.Round(time.Millisecond), fallback.Round(time.Millisecond), switched.Round(time.Millisecond), fleetLease)
	if fallback < fleetLease || switched < fleetLease {
		t.Errorf("instance a fell back %v, answered by its own verdicts %v after the store stopped, want the fleet's verdict held for a lease (%v)", fallback, switched, fleetLease)
	}
	f.a.holds(t, app, 2*probeInterval, onlyEU11)

	restarted := time.Now()
	f.etcd.Restart(t)
	f.a.waitGauge(t, "store_connected", nil, 1, 20*time.Second)
	f.a.waitGauge(t, "store_local_fallback", nil, 0, 2*time.Second)
	f.a.waitGauge(t, "store_observers", nil, 3, 20*time.Second)
	f.a.pollUntil(t, app, restarted, 20*time.Second, fleetEU, onlyEU11)
	t.Logf("store restarted: instance a rejoined, sees 3 observers and answers by the fleet's verdict %v after", time.Since(restarted).Round(time.Millisecond))
	f.eu1.set(f.a.source, answerOK)
	f.settle(t, 20*time.Second)
	for _, in := range f.instances() {
		if v := in.gauge(t, "store_local_fallback"); v != 0 {
			t.Errorf("instance %s: store_local_fallback %v after the store came back, want 0", in.name, v)
		}
	}
	t.Logf("store restarted: the fleet agrees again %v after", time.Since(restarted).Round(time.Millisecond))

	sent, completed, lostQ, noerror := perf.wait(t)
	// SIGINT ends dnsperf with its last queries in flight: sent but neither
	// completed nor lost, at most its 100 outstanding.
	if completed == 0 || lostQ != 0 || noerror != completed || sent-completed > 100 {
		t.Errorf("dnsperf: %d sent, %d completed, %d lost, %d NOERROR: want every query answered NOERROR\n%s", sent, completed, lostQ, noerror, perf.out.String())
	}
	t.Logf("dnsperf: %d queries answered through the outage and the rejoin, none lost", completed)
}

// (e) An operator's `drain eu` in the store's overrides key drains eu on
// every instance within a second; deleting the key lifts it as fast.
func TestFleetStoreOverrideDrains(t *testing.T) {
	t.Parallel()
	f := startFleet(t)
	key := fleet.OverridesKey(fleetPrefix, fleetZone)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	put := time.Now()
	if _, err := f.cli.Put(ctx, key, "drain eu"); err != nil {
		t.Fatal(err)
	}
	at := pollFleet(t, f.instances(), app, put, time.Second, fleetUS, fleetEU)
	t.Logf("drain eu put: a, b, c answer from us %v, %v, %v after", at[0].Sub(put).Round(time.Millisecond),
		at[1].Sub(put).Round(time.Millisecond), at[2].Sub(put).Round(time.Millisecond))
	for _, in := range f.instances() {
		if v := in.gauge(t, "store_override_loads_total", "result", "success"); v != 1 {
			t.Errorf("instance %s: store_override_loads_total{result=success} %v, want 1", in.name, v)
		}
		if v := in.gauge(t, "member_override", append(labelsEU1, "override", "drain")...); v != 1 {
			t.Errorf("instance %s: member_override{eu, 192.0.2.10, drain} %v, want 1", in.name, v)
		}
		if v := in.gauge(t, "member_healthy", labelsEU1...); v != 1 {
			t.Errorf("instance %s: member_healthy{eu, 192.0.2.10} %v, want 1: drained, not down", in.name, v)
		}
		in.holds(t, app, probeInterval, fleetUS)
	}

	deleted := time.Now()
	if _, err := f.cli.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	at = pollFleet(t, f.instances(), app, deleted, time.Second, fleetEU, fleetUS)
	t.Logf("overrides deleted: a, b, c answer from eu %v, %v, %v after", at[0].Sub(deleted).Round(time.Millisecond),
		at[1].Sub(deleted).Round(time.Millisecond), at[2].Sub(deleted).Round(time.Millisecond))
	for _, in := range f.instances() {
		if v := in.gauge(t, "member_override", append(labelsEU1, "override", "drain")...); v != -1 {
			t.Errorf("instance %s: member_override{eu, 192.0.2.10, drain} %v, want no series", in.name, v)
		}
	}
}

// (f) A reload of one instance carries its session over: the others'
// answers and their count of observers never change, and its registration
// and votes stay in the store as they were, under the same lease, never
// rewritten or deleted. The sampling lasts past the registry's grace, in
// which a session that lost its last ballot would close.
func TestFleetReloadKeepsSession(t *testing.T) {
	t.Parallel()
	f := startFleet(t)
	before := f.ownKeys(t, "a")
	if len(before) != 4 {
		t.Fatalf("observer a has %d keys in the store, want 4: its registration and 3 votes", len(before))
	}
	w := f.watch(t)
	var loops []func() asked
	for _, in := range f.instances() {
		loops = append(loops, in.keepAsking(t, app, fleetEU))
	}
	path := f.a.corefilePath(t)
	base, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	reloaded := time.Now()
	rewriteCorefile(t, path, string(base), "        record added {\n            pools eu us\n            answers 2\n            ttl 30\n        }\n")
	if err := syscall.Kill(f.a.pid, syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	var answered time.Duration
	samples, wrong := 0, 0
	for end := reloaded.Add(fleet.DefaultGrace + time.Second); time.Now().Before(end) || answered == 0; time.Sleep(25 * time.Millisecond) {
		for _, in := range []*fleetInstance{f.b, f.c} {
			samples++
			if v := in.gauge(t, "store_observers"); v != 3 {
				if wrong++; wrong <= 5 {
					t.Errorf("instance %s: store_observers %v %v after a's reload, want 3 throughout", in.name, v, time.Since(reloaded).Round(time.Millisecond))
				}
			}
		}
		if answered == 0 && replySummary(f.a.query(t, "udp", "added."+fleetZone, dns.TypeA, false)) == fleetEU {
			answered = time.Since(reloaded)
		}
		if time.Since(reloaded) > 15*time.Second {
			t.Fatalf("instance a: added.%s not answered within 15s of the reload", fleetZone)
		}
	}
	t.Logf("instance a reloaded: the new record answered %v after; %d samples of b's and c's store_observers over %v, %d not 3",
		answered.Round(time.Millisecond), samples, time.Since(reloaded).Round(time.Millisecond), wrong)

	for i, in := range f.instances() {
		a := loops[i]()
		for _, err := range a.errs[:min(len(a.errs), 5)] {
			t.Errorf("instance %s: %v", in.name, err)
		}
		if len(a.errs) > 0 || a.n < 100 {
			t.Errorf("instance %s: %d of %d queries during a's reload went wrong; want every one of at least 100 answered %q", in.name, len(a.errs), a.n, fleetEU)
		}
	}
	after := f.ownKeys(t, "a")
	for k, was := range before {
		now := after[k]
		switch {
		case now == nil:
			t.Errorf("%s%s: gone after the reload", fleetPrefix, k)
		case now.Lease != was.Lease || now.CreateRevision != was.CreateRevision || now.ModRevision != was.ModRevision:
			t.Errorf("%s%s: lease %x, created at revision %d, modified at %d after the reload; want lease %x, %d, %d as before: not rewritten",
				fleetPrefix, k, now.Lease, now.CreateRevision, now.ModRevision, was.Lease, was.CreateRevision, was.ModRevision)
		}
	}
	if len(after) != len(before) {
		t.Errorf("observer a has %d keys after the reload, want the %d it had", len(after), len(before))
	}
	for _, e := range w.seen() {
		if _, own := before[e.key]; own || e.deleted {
			t.Errorf("store changed during the reload: %s %s (deleted %v, vote %q)", e.at.Format("15:04:05.000"), e.key, e.deleted, e.state)
		}
	}
	t.Logf("observer a's registration: lease %x before and after the reload", before["observers/a"].Lease)
}

// The fiber cut: c's probes of every eu member fail while a and b see them
// up. c is found isolated by every instance and its votes are not counted:
// with quorum any, a single counted down vote would take eu down
// everywhere, yet all three, c included, answer eu. When c's probes pass
// again, it is counted again.
func TestFleetFiberCutIsolated(t *testing.T) {
	t.Parallel()
	f := startFleet(t, "quorum any")
	w := f.watch(t)
	cut := time.Now()
	f.eu1.set(f.c.source, refuse)
	f.eu2.set(f.c.source, refuse)
	w.waitVotes(t, "c", "down", fleetFailBound, eu1, eu2)
	for _, in := range f.instances() {
		took := in.waitGauge(t, "store_observer_isolated", []string{"observer", "c"}, 1, 3*time.Second)
		t.Logf("instance %s: c isolated, %v after its votes", in.name, took.Round(time.Millisecond))
		for _, o := range []string{"a", "b"} {
			if v := in.gauge(t, "store_observer_isolated", "observer", o); v != 0 {
				t.Errorf("instance %s: store_observer_isolated{observer=%s} %v, want 0", in.name, o, v)
			}
		}
		if v := in.gauge(t, "store_votes", "state", "down"); v != 2 {
			t.Errorf("instance %s: store_votes{state=down} %v, want c's 2 (held, not counted)", in.name, v)
		}
	}
	for _, in := range f.instances() {
		// Between c's two down votes it is not isolated yet, and under
		// quorum any its first one takes one eu member down for a moment.
		in.pollUntil(t, app, cut, fleetFailBound+time.Second, fleetEU, fleetEU, onlyEU10, onlyEU11)
		in.holds(t, app, 2*probeInterval, fleetEU)
	}
	expectAll(t, f.instances(), app, fleetEU)
	for _, l := range [][]string{labelsEU1, labelsEU2} {
		if v := f.c.gauge(t, "member_local_healthy", l...); v != 0 {
			t.Errorf("instance c: member_local_healthy%v %v, want 0: its probes are refused", l, v)
		}
		if v := f.c.gauge(t, "member_healthy", l...); v != 1 {
			t.Errorf("instance c: member_healthy%v %v, want 1: the fleet's verdict", l, v)
		}
	}

	f.eu1.set(f.c.source, answerOK)
	f.eu2.set(f.c.source, answerOK)
	w.waitVotes(t, "c", "up", riseBound+time.Second, eu1, eu2)
	for _, in := range f.instances() {
		in.waitGauge(t, "store_observer_isolated", []string{"observer", "c"}, 0, 3*time.Second)
	}
	expectAll(t, f.instances(), app, fleetEU)
}

// A reload that changes the store block (here the lease) takes the
// observer over with a new session: its keys move to the new lease, none
// is deleted, the others count three observers throughout, and the keys
// outlive the old lease.
func TestFleetReloadNewStoreBlock(t *testing.T) {
	t.Parallel()
	f := startFleet(t)
	before := f.ownKeys(t, "a")
	w := f.watch(t)
	path := f.a.corefilePath(t)
	base, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(base), "lease 3s") {
		t.Fatalf("no lease 3s in %s", path)
	}
	tmp := path + ".new"
	if err := os.WriteFile(tmp, []byte(strings.Replace(string(base), "lease 3s", "lease 4s", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	loop := f.b.keepAsking(t, app, fleetEU)
	reloaded := time.Now()
	if err := syscall.Kill(f.a.pid, syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	// Past the grace, the old session's close and its lease's expiry.
	for end := reloaded.Add(fleet.DefaultGrace + 3*time.Second + 3*time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		for _, in := range []*fleetInstance{f.b, f.c} {
			if v := in.gauge(t, "store_observers"); v != 3 {
				t.Fatalf("instance %s: store_observers %v %v after a's reload with a new lease, want 3 throughout", in.name, v, time.Since(reloaded).Round(time.Millisecond))
			}
		}
	}
	after := f.ownKeys(t, "a")
	if len(after) != len(before) {
		t.Errorf("observer a has %d keys after the reload, want the %d it had", len(after), len(before))
	}
	for k, was := range before {
		if now := after[k]; now == nil || now.Lease == was.Lease {
			t.Errorf("%s%s: %+v after the reload, want it under a's new lease (was %x)", fleetPrefix, k, now, was.Lease)
		}
	}
	for _, e := range w.seen() {
		if e.deleted {
			t.Errorf("the takeover deleted %s at %s", e.key, e.at.Format("15:04:05.000"))
		}
	}
	if a := loop(); len(a.errs) > 0 || a.n < 100 {
		t.Errorf("instance b: %d of %d queries during a's reload went wrong: %v", len(a.errs), a.n, a.errs[:min(len(a.errs), 3)])
	}
}
