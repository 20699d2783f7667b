package plugin

import (
	"fmt"
	"strings"

	"github.com/gslb/gslb/override"
	"github.com/gslb/gslb/policy"
)

// overrides is the operator's override file applied to one stanza: forced
// states and drains by member, weights by pool. Immutable once built.
type overrides struct {
	entries []override.Entry
	force   map[string]bool // memberKey → forced up (true) or down (false)
	drained map[string]bool // memberKey
	weights map[string]int  // pool → weight
}

// newOverrides checks entries against cfg: an unknown pool or member is an
// error naming its line, and the previous overrides stay in force.
func newOverrides(file string, cfg *Config, entries []override.Entry) (*overrides, error) {
	o := &overrides{entries: entries, force: map[string]bool{}, drained: map[string]bool{}, weights: map[string]int{}}
	for _, e := range entries {
		members, err := membersOf(cfg, e)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, e.Line, err)
		}
		for _, key := range members {
			switch e.Op {
			case override.Drain:
				o.drained[key] = true
			case override.Down, override.Up:
				o.force[key] = e.Op == override.Up
			}
		}
		if e.Op == override.Weight {
			o.weights[e.Pool] = e.Weight
		}
	}
	return o, nil
}

// membersOf returns the member keys an entry names.
func membersOf(cfg *Config, e override.Entry) ([]string, error) {
	for _, pool := range cfg.Pools {
		if pool.Name != e.Pool {
			continue
		}
		var keys []string
		for _, m := range pool.Members {
			if !e.Member.IsValid() || m.Addr == e.Member {
				keys = append(keys, memberKey(pool.Name, m))
			}
		}
		if len(keys) == 0 {
			return nil, fmt.Errorf("%s: pool %q has no member %s", e.Op, e.Pool, e.Member)
		}
		return keys, nil
	}
	return nil, fmt.Errorf("%s: unknown pool %q", e.Op, e.Pool)
}

// String lists the overrides in force, for the log.
func (o *overrides) String() string {
	if o == nil || len(o.entries) == 0 {
		return "none"
	}
	parts := make([]string, len(o.entries))
	for i, e := range o.entries {
		parts[i] = e.Op.String() + " " + e.Target()
		if e.Op == override.Weight {
			parts[i] += fmt.Sprintf(" %d", e.Weight)
		}
	}
	return strings.Join(parts, "; ")
}

// overriddenHealth applies overrides on top of the probes' verdicts.
type overriddenHealth struct {
	probes policy.Health
	o      *overrides
}

// State implements policy.Health.
func (h overriddenHealth) State(pool string, m policy.Member) policy.State {
	key := memberKey(pool, m)
	st := h.probes.State(pool, m)
	if up, forced := h.o.force[key]; forced {
		st = policy.State{Up: up, Factor: 1}
	}
	st.Drained = h.o.drained[key]
	return st
}

// pools returns cfg's pools with the overridden weights.
func (o *overrides) pools(pools []policy.Pool) []policy.Pool {
	if len(o.weights) == 0 {
		return pools
	}
	out := make([]policy.Pool, len(pools))
	copy(out, pools)
	for i := range out {
		if w, ok := o.weights[out[i].Name]; ok {
			out[i].Weight = w
		}
	}
	return out
}

// weight returns a pool's overridden weight; o may be nil.
func (o *overrides) weight(pool string) (int, bool) {
	if o == nil {
		return 0, false
	}
	w, ok := o.weights[pool]
	return w, ok
}

// of names the overrides on a member (drain, down, up); o may be nil.
func (o *overrides) of(key string) []string {
	if o == nil {
		return nil
	}
	var names []string
	if o.drained[key] {
		names = append(names, "drain")
	}
	if up, ok := o.force[key]; ok {
		names = append(names, map[bool]string{true: "up", false: "down"}[up])
	}
	return names
}
