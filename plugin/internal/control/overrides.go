package control

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/override"
	"github.com/gslb/gslb/policy"
)

// Overrides is the operator's override file applied to one stanza, its
// entries resolved to positions when the file is loaded. Immutable.
type Overrides struct {
	entries []override.Entry
	sources []string         // where each entry comes from: the file's path or the store's key
	members []memberOverride // in file order: a later entry wins
	weights []poolWeight
}

// memberOverride is what one entry does to one member.
type memberOverride struct {
	pool, member int
	drain        bool
	force        policy.Forced
	line         int // of its entry
}

type poolWeight struct{ pool, weight, line int }

// newOverrides resolves entries against pools, the stanza's members now:
// an unknown pool or member is an error naming its line, and the overrides
// in force stay. A member a pool of cfg may yet discover in a cluster is
// not unknown: its entry applies while the member is there.
func newOverrides(file string, cfg *config.Config, pools []policy.Pool, entries []override.Entry) (*Overrides, error) {
	return resolveOverrides(entries, slices.Repeat([]string{file}, len(entries)), cfg, pools)
}

// against is o resolved again against pools, members that replace those it
// was resolved against.
func (o *Overrides) against(cfg *config.Config, pools []policy.Pool) *Overrides {
	if o == nil {
		return nil
	}
	n, err := resolveOverrides(o.entries, o.sources, cfg, pools)
	if err != nil { // only discovered members come and go, and their entries are never refused
		log.Errorf("overrides: %v", err)
		return o
	}
	return n
}

func resolveOverrides(entries []override.Entry, sources []string, cfg *config.Config, pools []policy.Pool) (*Overrides, error) {
	o := &Overrides{entries: entries, sources: sources}
	for i, e := range entries {
		file := sources[i]
		pi := poolIndex(pools, e.Pool)
		if pi < 0 {
			return nil, override.ErrorAt(file, e.Line, fmt.Errorf("%s: unknown pool %q", e.Op, e.Pool))
		}
		if e.Op == override.Weight {
			o.weights = append(o.weights, poolWeight{pi, e.Weight, e.Line})
			continue
		}
		found := false
		for mi, m := range pools[pi].Members {
			if (e.Member.IsValid() && m.Addr != e.Member) || (e.Host != "" && m.Host != e.Host) {
				continue
			}
			found = true
			mo := memberOverride{pool: pi, member: mi, drain: e.Op == override.Drain, line: e.Line}
			switch e.Op {
			case override.Up:
				mo.force = policy.ForcedUp
			case override.Down:
				mo.force = policy.ForcedDown
			}
			o.members = append(o.members, mo)
		}
		if !found && !cfg.Discovers(pi) {
			return nil, override.ErrorAt(file, e.Line, fmt.Errorf("%s: pool %q has no member %s", e.Op, e.Pool, e.Target()[len(e.Pool)+1:]))
		}
	}
	return o, nil
}

func poolIndex(pools []policy.Pool, name string) int {
	for i, p := range pools {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// apply forces, drains and reweights over what the sources before it said.
// A forced member's probe verdict and factor no longer count.
func (o *Overrides) apply(h *policy.Health) {
	for _, mo := range o.members {
		st := h.Member(mo.pool, mo.member)
		if mo.force != policy.NotForced {
			*st = policy.State{Up: mo.force == policy.ForcedUp, Factor: 1, Forced: mo.force, Drained: st.Drained}
			if mo.force == policy.ForcedDown {
				st.Reason = "forced down by the override file"
			}
		}
		st.Drained = st.Drained || mo.drain
	}
	for _, w := range o.weights {
		h.SetWeight(w.pool, w.weight)
	}
}

// contradiction rejects overrides that say two things of one target: a
// member forced both up and down, a pool given two weights. An override
// file's later line wins; a fleet-wide value, written by hand for every
// instance at once, is refused instead, as most likely a mistake.
func (o *Overrides) contradiction(name string, pools []policy.Pool) error {
	forced := map[[2]int]memberOverride{}
	for _, mo := range o.members {
		if mo.force == policy.NotForced {
			continue
		}
		k := [2]int{mo.pool, mo.member}
		if prev, ok := forced[k]; ok && prev.force != mo.force {
			return override.ErrorAt(name, mo.line, fmt.Errorf("pool %q member %s is forced both up and down (line %d): expected one of them",
				pools[mo.pool].Name, pools[mo.pool].Members[mo.member].Addr, prev.line))
		}
		forced[k] = mo
	}
	weights := map[int]poolWeight{}
	for _, w := range o.weights {
		if prev, ok := weights[w.pool]; ok && prev.weight != w.weight {
			return override.ErrorAt(name, w.line, fmt.Errorf("pool %q is given weight %d and %d (line %d): expected one weight",
				pools[w.pool].Name, w.weight, prev.weight, prev.line))
		}
		weights[w.pool] = w
	}
	return nil
}

// merge is the fleet's overrides followed by the file's, so that on one
// target the instance's own file has the last word; nil when neither has
// any.
func merge(fleet, file *Overrides) *Overrides {
	switch {
	case fleet == nil:
		return file
	case file == nil:
		return fleet
	}
	return &Overrides{
		entries: append(slices.Clip(fleet.entries), file.entries...),
		sources: append(slices.Clip(fleet.sources), file.sources...),
		members: append(slices.Clip(fleet.members), file.members...),
		weights: append(slices.Clip(fleet.weights), file.weights...),
	}
}

// String lists the overrides in force, for the log.
func (o *Overrides) String() string {
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

// InForce is one override in force, for the status API.
type InForce struct {
	Source string // the override file's path or the store's key
	Line   int
	Op     string
	Target string // POOL or POOL/MEMBER
	Weight int    // Op weight
}

// List returns the overrides in force in the order they apply.
func (o *Overrides) List() []InForce {
	if o == nil {
		return nil
	}
	out := make([]InForce, len(o.entries))
	for i, e := range o.entries {
		out[i] = InForce{Source: o.sources[i], Line: e.Line, Op: e.Op.String(), Target: e.Target(), Weight: e.Weight}
	}
	return out
}
