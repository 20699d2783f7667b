package control

import (
	"time"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/policy"
)

// How a soft signal may move a member's weight: by at most maxStep of its
// full weight per check interval of its pool, so no single probe, metric
// or backend word swings traffic; a down member leaves at once. A member
// coming back up starts at rampFloor of its weight when its pool has a
// slowstart, and ramps to full over it.
const (
	maxStep   = 0.2
	rampFloor = 0.1
)

// shaper keeps, per member, what the answers were last compiled with, to
// move toward what the signals say in bounded steps. It lives with its
// controller: a reload starts anew, since a reload changes no health.
type shaper struct {
	pools   []policy.Pool
	every   []time.Duration // by pool: its shortest check interval
	members [][]shaped      // by pool, member
}

type shaped struct {
	seen    bool      // compiled once: what it was is known
	up      bool      // at the last compile
	upSince time.Time // when it last came up
	factor  float64   // the factor it was compiled with
	at      time.Time // when
}

func newShaper(cfg *config.Config) *shaper {
	s := &shaper{pools: cfg.Pools, every: make([]time.Duration, len(cfg.Pools)), members: make([][]shaped, len(cfg.Pools))}
	interval := map[string]time.Duration{}
	for _, c := range cfg.Checks {
		interval[c.Name] = c.Interval
	}
	for pi, pool := range cfg.Pools {
		s.members[pi] = make([]shaped, len(pool.Members))
		for _, name := range pool.Checks {
			if d := interval[name]; d > 0 && (s.every[pi] == 0 || d < s.every[pi]) {
				s.every[pi] = d
			}
		}
	}
	return s
}

// apply bounds each up member's factor by the step from its last one and
// by its pool's slowstart ramp, and reports when to compile again while a
// member is still moving (0: none is).
func (s *shaper) apply(h *policy.Health, now time.Time) (again time.Duration) {
	for pi, pool := range s.pools {
		for mi := range pool.Members {
			st, m := h.Member(pi, mi), &s.members[pi][mi]
			target := st.Factor
			switch {
			case !st.Up:
				*m = shaped{seen: true, at: now}
				continue
			case !m.seen: // the first compile: as the signals say, no ramp
				*m = shaped{seen: true, up: true, factor: target, at: now}
				continue
			case !m.up: // back up
				m.up, m.upSince, m.factor = true, now, target
			default:
				m.factor = step(m.factor, target, now.Sub(m.at), s.every[pi])
			}
			m.at = now
			f := m.factor
			if ramp := pool.SlowStart; ramp > 0 && now.Sub(m.upSince) < ramp {
				f = min(f, rampFloor+(1-rampFloor)*float64(now.Sub(m.upSince))/float64(ramp))
				again = soonest(again, ramp/20)
			}
			if m.factor != target && s.every[pi] > 0 {
				again = soonest(again, s.every[pi]/4)
			}
			st.Factor = max(f, minFactor)
		}
	}
	return again
}

// step moves from toward to by at most maxStep per interval of elapsed.
func step(from, to float64, elapsed, interval time.Duration) float64 {
	if interval <= 0 {
		return to
	}
	limit := maxStep * float64(elapsed) / float64(interval)
	switch {
	case to > from+limit:
		return from + limit
	case to < from-limit:
		return from - limit
	}
	return to
}

func soonest(a, b time.Duration) time.Duration {
	if a == 0 || b < a {
		return b
	}
	return a
}
