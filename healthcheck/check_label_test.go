package healthcheck

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/poll"
	"github.com/prometheus/client_golang/prometheus"
)

// checksOf lists the check label of every series of c for addr, sorted.
func checksOf(t *testing.T, c prometheus.Collector, addr string) []string {
	t.Helper()
	var checks []string
	for _, m := range series(t, c, "target", addr) {
		checks = append(checks, label(m, "check"))
	}
	sort.Strings(checks)
	return checks
}

// Two checks on one target (an http and a tcp check on one port) count
// into series of their own, told apart by the check label, and name
// themselves in the log.
func TestProbeSeriesAndLogNameTheCheck(t *testing.T) {
	logged := captureLog(t)
	addr := closedPort(t, "tcp")
	web := Target{Addr: addr, Check: testCheck(HTTP)}
	web.Check.Name, web.Check.Path, web.Check.Fall = "web", "/", 1
	port := Target{Addr: addr, Check: testCheck(TCP)}
	port.Check.Name, port.Check.Fall = "port", 1
	l := NewRegistry(4).Acquire([]Target{web, port}, nil)
	defer l.Release()
	poll.Until(t, "both down", 5*time.Second, func() bool {
		return l.Status(web).State == Down && l.Status(port).State == Down
	})

	if got := checksOf(t, probeDuration, addr); strings.Join(got, " ") != "port web" {
		t.Errorf("duration series by check %q, want one for port and one for web", got)
	}
	if got := checksOf(t, probeFailures, addr); strings.Join(got, " ") != "port web" {
		t.Errorf("failure series by check %q, want one (refused) for port and one for web", got)
	}
	for _, want := range []string{"check web: http " + addr + " is down", "check port: tcp " + addr + " is down"} {
		poll.Until(t, "log line "+want, 2*time.Second, func() bool { return strings.Contains(logged.String(), want) })
	}
}

// Identically configured checks share one prober; its series carry all
// their names, sorted, whatever order the targets came in.
func TestSharedProberLabelsEveryName(t *testing.T) {
	addr := closedPort(t, "tcp")
	var targets []Target
	for _, name := range []string{"b", "a", "b"} {
		c := testCheck(TCP)
		c.Name = name
		targets = append(targets, Target{Addr: addr, Check: c})
	}
	l := NewRegistry(4).Acquire(targets, nil)
	defer l.Release()
	<-l.FirstRound()
	if len(l.entries) != 1 {
		t.Fatalf("%d entries, want one shared prober", len(l.entries))
	}
	if got := checksOf(t, probeDuration, addr); len(got) != 1 || got[0] != "a,b" {
		t.Errorf("duration series by check %q, want one labelled a,b", got)
	}
}

// The series of an expired prober go, those of another check on the same
// target and kind stay.
func TestExpiryForgetsOnlyItsCheck(t *testing.T) {
	r := NewRegistry(8)
	r.set.Grace = 50 * time.Millisecond
	addr := closedPort(t, "tcp")
	a := Target{Addr: addr, Check: testCheck(HTTP)}
	a.Check.Name, a.Check.Path = "a", "/a"
	b := a
	b.Check.Name, b.Check.Path = "b", "/b"
	la := r.Acquire([]Target{a}, nil)
	lb := r.Acquire([]Target{b}, nil)
	defer lb.Release()
	<-la.FirstRound()
	<-lb.FirstRound()

	la.Release()
	poll.Until(t, "series of check a deleted", 2*time.Second, func() bool {
		return strings.Join(checksOf(t, probeDuration, addr), " ") == "b" &&
			strings.Join(checksOf(t, probeFailures, addr), " ") == "b"
	})
	lb.Release()
	poll.Until(t, "all series of the address deleted", 2*time.Second, func() bool {
		return len(checksOf(t, probeDuration, addr))+len(checksOf(t, probeFailures, addr)) == 0
	})
}
