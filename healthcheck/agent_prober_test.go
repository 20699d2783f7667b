package healthcheck

import (
	"strings"
	"testing"
	"time"
)

// An agent's words through a real prober: the weight holds across replies
// that give none, drain and down hold until up, down takes the member down
// at the first probe that hears it, and up brings it back after rise.
func TestAgentCheckThroughProber(t *testing.T) {
	a := newAgentServer(t, "75%\n")
	target := agentTarget(a.addr)
	target.Check.Fall = 5 // down in fewer probes than this is the word's doing
	onChange, changed := changes()
	l := NewRegistry(8).Acquire([]Target{target}, onChange)
	defer l.Release()

	awaitState(t, l, target, changed, Up, 2*time.Second)
	if s := l.Status(target); s.Factors.Agent != 0.75 || s.Drain {
		t.Fatalf("after 75%%: %+v, want agent factor 0.75, no drain", s)
	}

	a.Set("\n")
	a.probes(t, 3)
	if s := l.Status(target); s.State != Up || s.Factors.Agent != 0.75 {
		t.Fatalf("after empty replies: %+v, want up, the weight held at 0.75", s)
	}

	a.Set("drain\n")
	a.probes(t, 2)
	if s := l.Status(target); s.State != Up || !s.Drain || s.Factors.Agent != 0.75 {
		t.Fatalf("after drain: %+v, want up and drained, weight held", s)
	}

	before := a.hits.Load()
	a.Set("down #maintenance\n")
	awaitState(t, l, target, changed, Down, 2*time.Second)
	// One probe in flight may still read the old reply; the next one hears down.
	if n := a.hits.Load() - before; n > 2 {
		t.Fatalf("down after %d probes, want at the first that hears it", n)
	}
	if s := l.Status(target); !strings.Contains(s.Err, "maintenance") {
		t.Fatalf("down: Err %q, want the agent's reason", s.Err)
	}

	a.Set("up\n")
	awaitState(t, l, target, changed, Up, 2*time.Second)
	if s := l.Status(target); s.Drain || s.Factors.Agent != 0.75 || s.Err != "" {
		t.Fatalf("after up: %+v, want no drain (up lifts it), weight held at 0.75, no error", s)
	}

	a.Set("ready 50%\n")
	a.probes(t, 2)
	if s := l.Status(target); s.State != Up || s.Factors.Agent != 0.5 {
		t.Fatalf("after ready 50%%: %+v, want up at 0.5", s)
	}
}

// An agent that cannot be read changes nothing, as in HAProxy: more failed
// probes than fall leave the member up with its last weight, the failure
// shown in Err; a member held down by its word stays down; an agent never
// read leaves its member Unknown.
func TestAgentUnreachableKeepsState(t *testing.T) {
	a := newAgentServer(t, "60%\n")
	target := agentTarget(a.addr)
	onChange, changed := changes()
	r := NewRegistry(8)
	l := r.Acquire([]Target{target}, onChange)
	defer l.Release()
	awaitState(t, l, target, changed, Up, 2*time.Second)

	a.Set("") // closes at once: a failed probe
	a.probes(t, int32(target.Check.Fall)+2)
	if s := l.Status(target); s.State != Up || s.Factors.Agent != 0.6 || !strings.Contains(s.Err, "without a reply") {
		t.Fatalf("agent closing at once: %+v, want up at 0.6 with the failure in Err", s)
	}

	a.Set("down\n")
	awaitState(t, l, target, changed, Down, 2*time.Second)
	a.Set("")
	a.probes(t, int32(target.Check.Rise)+2)
	if s := l.Status(target); s.State != Down {
		t.Fatalf("agent held down, then unreadable: %+v, want down", s)
	}

	never := agentTarget(closedPort(t, "tcp"))
	ln := r.Acquire([]Target{never}, nil)
	defer ln.Release()
	<-ln.FirstRound()
	time.Sleep(time.Duration(never.Check.Fall+2) * never.Check.Interval)
	if s := ln.Status(never); s.State != Unknown || !strings.Contains(s.Err, "refused") {
		t.Fatalf("agent never reached: %+v, want unknown with the failure in Err", s)
	}
}
