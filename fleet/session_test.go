package fleet

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/gslb/gslb/internal/etcdtest"
	"github.com/gslb/gslb/internal/poll"
)

const testLease = 3 * time.Second

var testMembers = []string{MemberKey("z.", "eu", "192.0.2.1"), MemberKey("z.", "eu", "192.0.2.2"), MemberKey("z.", "us", "198.51.100.1"), MemberKey("z.", "us", "198.51.100.2")}

// observer is one simulated instance: its own registry, as a process has.
type observer struct {
	ballot  *Ballot
	changes atomic.Int64
}

func join(t *testing.T, etcd *etcdtest.Server, name string) *observer {
	t.Helper()
	cfg := NewConfig([]string{etcd.Endpoint()}, name)
	cfg.Lease, cfg.Timeout = testLease, time.Second
	o := &observer{}
	b, err := NewRegistry(0).Acquire(cfg, nil, testMembers, func() { o.changes.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	o.ballot = b
	t.Cleanup(b.Release)
	return o
}

// cast publishes one vote per member: u up, d down, ? unknown.
func (o *observer) cast(states string) {
	votes := make([]Vote, len(states))
	for i, c := range states {
		switch c {
		case 'u':
			votes[i] = Vote{State: Up, Factor: 1}
		case 'd':
			votes[i] = Vote{State: Down, Error: "connection refused"}
		}
	}
	o.ballot.Publish(votes)
}

// tallies is the view's tally of each member as "UP/DOWN" counts.
func (o *observer) tallies() string {
	v := o.ballot.View()
	s := ""
	for _, m := range testMembers {
		t, _ := v.Tally(m)
		s += fmt.Sprintf("%d/%d ", t.Up, t.Down)
	}
	return s
}

func waitTallies(t *testing.T, want string, within time.Duration, obs ...*observer) {
	t.Helper()
	for _, o := range obs {
		poll.Until(t, "tallies "+want+" (last "+o.tallies()+")", within, func() bool { return o.tallies() == want })
	}
}

func TestSessionsReachOneTally(t *testing.T) {
	etcd := startStore(t)
	a, b, c := join(t, etcd, "a"), join(t, etcd, "b"), join(t, etcd, "c")
	a.cast("uuuu")
	b.cast("uudu")
	c.cast("uudd")
	waitTallies(t, "3/0 3/0 1/2 2/1 ", 10*time.Second, a, b, c)
	if n := len(a.ballot.View().Observers); n != 3 {
		t.Errorf("%d live observers, want 3", n)
	}

	// Publishing the same verdicts again writes nothing.
	cli := etcd.Client(t)
	before := revision(t, cli)
	for range 50 {
		a.cast("uuuu")
		b.cast("uudu")
	}
	time.Sleep(200 * time.Millisecond) // past the writer's batching delay
	if after := revision(t, cli); after != before {
		t.Errorf("unchanged verdicts moved the store from revision %d to %d", before, after)
	}

	// A released ballot's votes leave at once.
	c.ballot.Release()
	waitTallies(t, "2/0 2/0 1/1 2/0 ", 10*time.Second, a, b)
}

func TestIsolatedObserverIsNotCounted(t *testing.T) {
	etcd := startStore(t)
	a, b, c := join(t, etcd, "a"), join(t, etcd, "b"), join(t, etcd, "c")
	for _, o := range []*observer{a, b, c} {
		o.cast("uuuu")
	}
	waitTallies(t, "3/0 3/0 3/0 3/0 ", 10*time.Second, a, b, c)
	c.cast("dduu") // the path from c to eu is cut
	waitTallies(t, "2/0 2/0 2/0 2/0 ", 10*time.Second, a, b, c)
	for _, o := range []*observer{a, b, c} {
		if iso := o.ballot.View().Isolated(); len(iso) != 1 || iso[0] != "c" {
			t.Errorf("isolated %v, want [c]", iso)
		}
	}
	c.cast("uuuu") // repaired
	waitTallies(t, "3/0 3/0 3/0 3/0 ", 10*time.Second, a, b, c)
}

func TestKilledObserverVotesExpireWithItsLease(t *testing.T) {
	etcd := startStore(t)
	a, b := join(t, etcd, "a"), join(t, etcd, "b")
	a.cast("uuuu")
	b.cast("dddd")
	waitTallies(t, "1/1 1/1 1/1 1/1 ", 10*time.Second, a, b)
	kill(b.ballot.s)
	start := time.Now()
	waitTallies(t, "1/0 1/0 1/0 1/0 ", testLease+5*time.Second, a)
	t.Logf("a killed observer's votes left the tally %s after it died (lease %s)", time.Since(start).Round(time.Millisecond), testLease)
	if n := len(a.ballot.View().Observers); n != 1 {
		t.Errorf("%d live observers after the kill, want 1", n)
	}
}

func TestStoreLossHoldsForALeaseThenFallsBack(t *testing.T) {
	etcd := startStore(t)
	a, b := join(t, etcd, "a"), join(t, etcd, "b")
	a.cast("uuuu")
	b.cast("dduu")
	waitTallies(t, "1/1 1/1 2/0 2/0 ", 10*time.Second, a, b)
	etcd.Stop()
	lost := time.Now()
	poll.Until(t, "a sees the store lost", testLease+5*time.Second, func() bool { return !a.ballot.View().Connected })
	if v := a.ballot.View(); !v.Usable && time.Since(lost) < testLease/2 {
		t.Fatalf("the last fleet verdict was dropped %s after the loss, before a lease", time.Since(lost))
	}
	poll.Until(t, "a falls back to its own verdicts", 2*testLease+5*time.Second, func() bool { return !a.ballot.View().Usable })
	held := time.Since(lost)
	if held < testLease-testLease/10 {
		t.Errorf("fell back %s after the store stopped: expected about a lease (%s)", held, testLease)
	}
	t.Logf("fell back to local verdicts %s after the store stopped (lease %s)", held.Round(time.Millisecond), testLease)

	a.cast("uuud") // changed while the store was away
	etcd.Restart(t)
	poll.Until(t, "a rejoins", 20*time.Second, func() bool { v := a.ballot.View(); return v.Connected && v.Usable })
	waitTallies(t, "1/1 1/1 2/0 1/1 ", 20*time.Second, a, b)
}

func startStore(t *testing.T) *etcdtest.Server { return etcdtest.Start(t) }

func revision(t *testing.T, cli *clientv3.Client) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, "/gslb/", clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		t.Fatal(err)
	}
	return resp.Header.Revision
}

// kill ends a session as SIGKILL would: no revoke, no delete.
func kill(s *Session) {
	s.stop()
	s.done.Wait()
	s.client.Close()
}
