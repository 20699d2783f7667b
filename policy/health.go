package policy

import (
	"net/netip"
	"slices"
)

// State is the health of one member as its sources say it, combined. Its
// fields are ordered to pack: a Health holds one per member.
type State struct {
	// Factor scales the member's weight: 1 for a healthy member, less for
	// a slow one, never 0 while Up.
	Factor float64
	// Reason says why the member is not up: the last probe error, an
	// override. Empty for a healthy member.
	Reason string
	Up     bool
	// Drained members get no traffic unless nothing undrained is up.
	Drained bool
	// Forced is the state an override imposes, NotForced without one.
	Forced Forced
	// Signals are the factors Factor is the product of, by signal.
	Signals Signals
}

// Forced is a state an operator imposes on a member over its probes.
type Forced int8

// The forced states.
const (
	NotForced Forced = iota
	ForcedUp
	ForcedDown
)

// Health is what Compile reads the health of every member from, by
// position: pool index in the configuration, then member index in its
// pool; and every pool's effective weight. The sources write it in their
// order (local probes, then overrides) before Compile; after that it is
// only read, by the compile and by the metrics of the same snapshot.
type Health struct {
	states  []State // pool p's members are states[start[p]:start[p+1]]
	start   []int
	weights []int // by pool
	// addrs are the current addresses of host-name members, by member
	// position as states; nil until one is set. Each slice is immutable.
	addrs [][]netip.Addr
}

var healthy = State{Up: true, Factor: 1}

// NewHealth returns the health of pools with every member up at full
// weight and every pool at its configured weight: a configuration without
// checks or overrides.
func NewHealth(pools []Pool) *Health {
	h := &Health{start: make([]int, len(pools)+1), weights: make([]int, len(pools))}
	for p, pool := range pools {
		h.start[p+1] = h.start[p] + len(pool.Members)
		h.weights[p] = pool.Weight
	}
	h.states = make([]State, h.start[len(pools)])
	for i := range h.states {
		h.states[i] = healthy
	}
	return h
}

// Member returns the state of member m of pool p, for a source to write.
func (h *Health) Member(p, m int) *State { return &h.states[h.start[p]+m] }

// At returns the state of member m of pool p.
func (h *Health) At(p, m int) State { return h.states[h.start[p]+m] }

// Weight returns pool p's effective weight.
func (h *Health) Weight(p int) int { return h.weights[p] }

// SetWeight sets pool p's effective weight.
func (h *Health) SetWeight(p, w int) { h.weights[p] = w }

// Addrs returns the addresses host-name member m of pool p resolves to.
func (h *Health) Addrs(p, m int) []netip.Addr {
	if h.addrs == nil {
		return nil
	}
	return h.addrs[h.start[p]+m]
}

// SetAddrs sets what host-name member m of pool p resolves to; addrs is
// kept, not copied, and must not change afterwards.
func (h *Health) SetAddrs(p, m int, addrs []netip.Addr) {
	if h.addrs == nil {
		h.addrs = make([][]netip.Addr, len(h.states))
	}
	h.addrs[h.start[p]+m] = addrs
}

// Clone returns a copy that later writes to h leave alone.
func (h *Health) Clone() *Health {
	return &Health{states: slices.Clone(h.states), start: h.start, weights: slices.Clone(h.weights), addrs: slices.Clone(h.addrs)}
}
