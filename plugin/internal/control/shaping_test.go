package control

import (
	"math"
	"testing"
	"time"

	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// shapedPools is twoPools with eu checked every 5s and a slowstart of 10s.
func shapedPools() *shaper {
	cfg := twoPools()
	chk := healthcheck.NewCheck("web", healthcheck.HTTP)
	cfg.Checks = []healthcheck.Check{chk}
	cfg.Pools[0].Checks, cfg.Pools[0].SlowStart = []string{"web"}, 10*time.Second
	return newShaper(cfg)
}

// factorAt compiles eu's first member in state st at t0+at and returns
// the factor it is answered with (0 when down) and when to compile again.
func factorAt(s *shaper, st policy.State, t0 time.Time, at time.Duration) (float64, time.Duration) {
	h := policy.NewHealth(s.pools)
	*h.Member(0, 0) = st
	again := s.apply(h, t0.Add(at))
	if got := h.At(0, 0); got.Up {
		return got.Factor, again
	}
	return 0, again
}

func TestSoftSignalsMoveInBoundedSteps(t *testing.T) {
	s, t0 := shapedPools(), time.Now()
	up := func(f float64) policy.State { return policy.State{Up: true, Factor: f} }
	for _, c := range []struct {
		at     time.Duration
		st     policy.State
		want   float64
		moving bool
	}{
		{0, up(1), 1, false},                   // the first compile: as the signals say
		{time.Second, up(0.4), 0.96, true},     // a second of a 5s interval: 0.2 × 1/5
		{6 * time.Second, up(0.4), 0.76, true}, // five more seconds: one step of 0.2
		{16 * time.Second, up(0.4), 0.4, false},
		{17 * time.Second, up(1), 0.44, true},        // back up the same way
		{18 * time.Second, policy.State{}, 0, false}, // down: at once
	} {
		got, again := factorAt(s, c.st, t0, c.at)
		if math.Abs(got-c.want) > 1e-9 || (again > 0) != c.moving {
			t.Errorf("at %s with %+v: factor %.3f, compile again in %s; want %.3f, moving %t", c.at, c.st, got, again, c.want, c.moving)
		}
	}
}

func TestSlowStartRamps(t *testing.T) {
	s, t0 := shapedPools(), time.Now()
	factorAt(s, policy.State{Up: true, Factor: 1}, t0, 0)
	factorAt(s, policy.State{}, t0, time.Second) // down
	for _, c := range []struct {
		at   time.Duration
		want float64
	}{
		{2 * time.Second, rampFloor}, // back: from a small share
		{7 * time.Second, rampFloor + (1-rampFloor)*0.5},
		{12 * time.Second, 1},
		{13 * time.Second, 1},
	} {
		got, again := factorAt(s, policy.State{Up: true, Factor: 1}, t0, c.at)
		if math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s after coming back: factor %.3f, want %.3f", c.at-2*time.Second, got, c.want)
		}
		if ramping := c.at < 12*time.Second; (again > 0) != ramping {
			t.Errorf("%s after coming back: compile again in %s, want a compile %t", c.at-2*time.Second, again, ramping)
		}
	}
	// A pool without slowstart takes a member back at its full factor.
	h := policy.NewHealth(s.pools)
	s.apply(h, t0)
	*h.Member(1, 0) = policy.State{}
	s.apply(h, t0.Add(time.Second))
	*h.Member(1, 0) = policy.State{Up: true, Factor: 1}
	s.apply(h, t0.Add(2*time.Second))
	if f := h.At(1, 0).Factor; f != 1 {
		t.Errorf("us without slowstart came back at %v", f)
	}
}
