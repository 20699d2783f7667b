package healthcheck

import (
	"errors"
	"testing"
	"time"
)

// thresholds is a check with the given rise and fall, built by NewCheck as
// every Check the registry probes is.
func thresholds(rise, fall int) Check {
	c := NewCheck("test", TCP)
	c.Rise, c.Fall = rise, fall
	return c
}

// play feeds results to a state machine: 's' a success, 'f' a failure.
func play(m *stateMachine, results string) {
	for _, r := range results {
		if r == 's' {
			m.observe(nil, 10*time.Millisecond, Word{})
		} else {
			m.observe(errors.New("refused: connection refused"), time.Millisecond, Word{})
		}
	}
}

func TestStateMachine(t *testing.T) {
	tests := []struct {
		rise, fall int
		results    string
		want       State
	}{
		{2, 3, "", Unknown},
		{2, 3, "s", Unknown}, // one success is no verdict
		{2, 3, "ss", Up},
		{2, 3, "ff", Unknown}, // nor are two failures
		{2, 3, "fff", Down},
		{2, 3, "sfs", Unknown}, // not consecutive
		{2, 3, "ffsff", Unknown},
		{2, 3, "ssf", Up}, // hysteresis: up until fall failures in a row
		{2, 3, "ssff", Up},
		{2, 3, "ssffsff", Up},
		{2, 3, "ssfff", Down},
		{2, 3, "fffs", Down}, // down until rise successes in a row
		{2, 3, "fffsfs", Down},
		{2, 3, "fffss", Up},
		{2, 3, "ssfffssfff", Down},
		{1, 1, "s", Up},
		{1, 1, "sf", Down},
		{1, 1, "sfs", Up},
		{3, 2, "sssff", Down},
		{3, 2, "ffss", Down},
		{3, 2, "ffsss", Up},
	}
	for _, tc := range tests {
		m := newStateMachine(thresholds(tc.rise, tc.fall))
		play(&m, tc.results)
		if got := m.status().State; got != tc.want {
			t.Errorf("rise %d fall %d after %q: %s, want %s", tc.rise, tc.fall, tc.results, got, tc.want)
		}
	}
}

func TestStateMachineErrAndLatency(t *testing.T) {
	m := newStateMachine(thresholds(1, 1))
	m.observe(nil, 100*time.Millisecond, Word{})
	if s := m.status(); s.Latency != 100*time.Millisecond || s.Err != "" {
		t.Fatalf("after one success: %+v, want latency 100ms and no error", s)
	}
	m.observe(errors.New("timeout: hung"), 2*time.Second, Word{})
	if s := m.status(); s.Err != "timeout: hung" || s.Latency != 100*time.Millisecond {
		t.Fatalf("after a failure: %+v, want its error and the latency unchanged", s)
	}
	m.observe(nil, 200*time.Millisecond, Word{})
	if s := m.status(); s.Err != "" || s.Latency != 130*time.Millisecond {
		t.Fatalf("after another success: %+v, want no error and EWMA latency 130ms", s)
	}
}

func TestSlowFactor(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		slow, latency time.Duration
		want          float64
	}{
		{0, 5 * time.Second, 1}, // no slow: latency never matters
		{100 * ms, 50 * ms, 1},
		{100 * ms, 100 * ms, 1},
		{100 * ms, 101 * ms, 1}, // rounded to the nearest step
		{100 * ms, 125 * ms, 0.8},
		{100 * ms, 200 * ms, 0.5},
		{100 * ms, 300 * ms, 0.35},
		{100 * ms, 1000 * ms, 0.1},
		{100 * ms, 5000 * ms, 0.1}, // floor
	}
	for _, tc := range tests {
		if got := slowFactor(tc.slow, tc.latency); got != tc.want {
			t.Errorf("slow %s latency %s: factor %v, want %v", tc.slow, tc.latency, got, tc.want)
		}
	}
}

func TestSlowFactorIsGradual(t *testing.T) {
	slow := 100 * time.Millisecond
	prev, distinct := 1.0, 0
	for latency := slow; latency <= 20*slow; latency += 5 * time.Millisecond {
		f := slowFactor(slow, latency)
		if f > prev || f < minFactor {
			t.Fatalf("latency %s: factor %v after %v, want non-increasing and at least %v", latency, f, prev, minFactor)
		}
		if f != prev {
			distinct++
		}
		if prev-f > 1.0/factorSteps+1e-9 {
			t.Fatalf("latency %s: factor jumped from %v to %v", latency, prev, f)
		}
		prev = f
	}
	if distinct < 10 || prev != minFactor {
		t.Errorf("factor took %d steps down to %v, want a gradual slope to the floor %v", distinct, prev, minFactor)
	}
}

func TestStateMachineFactorFollowsLatency(t *testing.T) {
	c := thresholds(1, 1)
	c.Slow = 100 * time.Millisecond
	m := newStateMachine(c)
	for range 20 {
		m.observe(nil, 400*time.Millisecond, Word{})
	}
	if f := m.status().Factor; f != 0.25 {
		t.Fatalf("slow 100ms at 400ms: factor %v, want 0.25", f)
	}
	for range 20 {
		m.observe(nil, 20*time.Millisecond, Word{})
	}
	if f := m.status().Factor; f != 1 {
		t.Fatalf("back to 20ms: factor %v, want 1", f)
	}
}

func TestStateString(t *testing.T) {
	for s, want := range map[State]string{Unknown: "unknown", Up: "up", Down: "down"} {
		if s.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(s), s.String(), want)
		}
	}
}

// An agent check's failures neither count toward fall nor end a run of
// successes toward rise early; they only show in Err.
func TestStateMachineAgentFailuresHold(t *testing.T) {
	c := thresholds(2, 1)
	c.Kind = Agent
	m := newStateMachine(c)
	play(&m, "fff")
	if s := m.status(); s.State != Unknown || s.Err == "" {
		t.Fatalf("agent never read: %+v, want unknown with the failure in Err", s)
	}
	play(&m, "ssfff")
	if s := m.status(); s.State != Up || s.Err == "" {
		t.Fatalf("agent unreadable after up: %+v, want up with the failure in Err", s)
	}
	m.observe(nil, time.Millisecond, Word{Said: true, Weight: -1, Down: true})
	play(&m, "fsf")
	if s := m.status(); s.State != Down {
		t.Fatalf("agent down, then unreadable: %+v, want down", s)
	}
}
