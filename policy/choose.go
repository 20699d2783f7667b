package policy

import (
	"math/rand/v2"
	"net"
)

// Outcome says what kind of answer a selection produced.
type Outcome uint8

// Selection outcomes.
const (
	Answered      Outcome = iota
	NoData                // the record has no member of the asked family
	PassDown              // all down, on_all_down fallthrough
	ServerFailure         // all down, on_all_down servfail
)

// Answer is the result of one selection. IPs points into the caller's
// buffer and into the table; neither may be modified. The small fields
// come first and together: an Answer is in several frames of the query
// path, and padding between them would grow each.
type Answer struct {
	Outcome Outcome
	// Reduced is set when the answer is not what a fully healthy setup
	// would give (a failover or degraded pool, or all down): such answers
	// get a shorter TTL so the return to normal spreads quickly.
	Reduced bool
	AllDown bool
	// Failover is set when the pool is not the client's first choice.
	Failover bool
	// Scope is how many leading bits of the client's address the answer
	// depends on, for the ECS SCOPE PREFIX-LENGTH; 0 when it does not
	// depend on the client. It depends on the configuration and the client
	// only, never on health, so a cached answer's reach is stable.
	Scope int
	// PoolIndex is the pool's position in the configuration, -1 for none.
	// Callers that must not keep the answer (its IPs point into their
	// buffer) name the pool by it.
	PoolIndex int
	IPs       []net.IP
	// Host is the position of a CNAME answer's member among its pool's
	// host-name members (family Host), -1 for none; Table.Target names it.
	// A position, not the name: a string here would be a pointer the
	// caller's reply takes, and the escape analysis, which does not tell
	// an Answer's fields apart, would move the caller's buffer that IPs
	// points into to the heap with it.
	Host int
	Pool string
}

// Choose selects the answer of record rec for family f and client c,
// writing addresses into buf, whose capacity must be at least the record's
// answers count. It takes no lock, does no I/O and does not allocate.
func (t *Table) Choose(rec int, f Family, c *Client, buf []net.IP) Answer {
	r := &t.records[rec]
	if !r.has[f] {
		return Answer{Outcome: NoData}
	}
	key, scope := uint64(0), 0
	if r.spec.Select == Hash {
		key, scope = stickyKey(c)
	}
	var first, chosen, orderScope int
	for l := serving; l < anyState; l++ {
		first, chosen, orderScope = t.pickPool(r, f, c, key, l)
		scope = max(scope, orderScope)
		if chosen >= 0 {
			p := &t.pools[chosen]
			failover := chosen != first || l != serving
			a := Answer{
				Host:      -1,
				Pool:      p.name,
				Reduced:   failover || p.degraded,
				Failover:  failover,
				Scope:     scope,
				PoolIndex: chosen,
			}
			a.IPs, a.Host = pick(&p.fam[f], l, r.spec.Select, key, r.spec.Answers, buf)
			return a
		}
	}
	a := t.allDown(r, f, first, key, buf)
	a.Scope = scope
	return a
}

// allDown applies on_all_down when no pool is eligible.
func (t *Table) allDown(r *record, f Family, first int, key uint64, buf []net.IP) Answer {
	a := Answer{Reduced: true, AllDown: true, Failover: true, PoolIndex: -1, Host: -1}
	switch r.spec.OnAllDown {
	case Fallthrough:
		a.Outcome = PassDown
		return a
	case ServFail:
		a.Outcome = ServerFailure
		return a
	case FallbackPool:
		if p := &t.pools[r.fallback]; p.fam[f].size() > 0 {
			a.Pool, a.PoolIndex = p.name, r.fallback
			l := withDrained
			if !p.usable(f, l) {
				l = anyState
			}
			a.IPs, a.Host = pick(&p.fam[f], l, r.spec.Select, key, r.spec.Answers, buf)
			return a
		}
	}
	if first < 0 { // only the fallback pool has this family
		first = r.fallback
	}
	if first < 0 { // host names that resolve to no address of this family
		a.Outcome = NoData
		return a
	}
	p := &t.pools[first]
	a.Pool, a.PoolIndex = p.name, first
	a.IPs, a.Host = pick(&p.fam[f], anyState, r.spec.Select, key, r.spec.Answers, buf)
	return a
}

// pick returns the answer's addresses, or the position of its CNAME
// target for family Host (-1 for none), from m at level l. Results, not
// writes through a pointer: those would move buf, on the caller's stack,
// to the heap.
func pick(m *members, l level, sel Select, key uint64, n int, buf []net.IP) ([]net.IP, int) {
	if m.hosts == nil {
		return pickMembers(m, l, sel, key, n, buf), -1
	}
	if m.total[l] == 0 {
		return buf[:0], -1
	}
	return buf[:0], startIndex(m.weights[l], m.keys, m.total[l], sel, key)
}

// Target returns the host name a CNAME answer a points to, "" for none.
func (t *Table) Target(a *Answer) string {
	if a.Host < 0 || a.PoolIndex < 0 {
		return ""
	}
	return t.pools[a.PoolIndex].fam[Host].hosts[a.Host]
}

// pickPool returns the pool a fully healthy setup would choose (first),
// the pool that answers now at level l (chosen, -1 when none is usable),
// among the record's pools that have members of family f, and how many
// bits of the client's address the order depended on.
func (t *Table) pickPool(r *record, f Family, c *Client, key uint64, l level) (first, chosen, scope int) {
	if r.spec.Policy == Weighted {
		first, chosen = t.pickWeighted(r, f, key, l)
		return first, chosen, 0
	}
	first, chosen = -1, -1
	scope = t.inOrder(r, c, func(pi int) bool {
		p := &t.pools[pi]
		if p.fam[f].size() == 0 {
			return false
		}
		if first < 0 {
			first = pi
		}
		if p.usable(f, l) {
			chosen = pi
		}
		return chosen >= 0
	})
	return first, chosen, scope
}

// inOrder visits the pools of a failover, geo or nearest record in the
// client's order until visit says stop, and returns how many bits of the
// client's address the order depended on.
func (t *Table) inOrder(r *record, c *Client, visit func(int) bool) (scope int) {
	switch r.spec.Policy {
	case Geo:
		var buf [8]int
		preferred, s := r.geo.preferred(c, buf[:0])
		for _, pos := range preferred {
			if visit(r.pools[pos]) {
				return s
			}
		}
		for pos, pi := range r.pools {
			if !contains(preferred, pos) && visit(pi) {
				break
			}
		}
		return s
	case Nearest:
		t.byDistance(r, c, visit)
		return c.Geo.Bits
	}
	for _, pi := range r.pools {
		if visit(pi) {
			break
		}
	}
	return 0
}

// byDistance visits the record's pools nearest first, or in listed order
// when the client's location is unknown, until visit says stop.
func (t *Table) byDistance(r *record, c *Client, visit func(int) bool) {
	var dist [64]float32 // km; half the stack of float64, and precise to metres
	n := min(len(r.pools), len(dist))
	for pos := range n {
		loc := t.pools[r.pools[pos]].location
		if c.Geo.HasLocation && loc != nil {
			dist[pos] = float32(distanceKm(c.Geo.Lat, c.Geo.Lon, loc.Lat, loc.Lon))
		}
	}
	var done uint64
	for range n {
		best := -1
		for pos := range n {
			if done&(1<<pos) == 0 && (best < 0 || dist[pos] < dist[best]) {
				best = pos
			}
		}
		done |= 1 << best
		if visit(r.pools[best]) {
			return
		}
	}
	for _, pi := range r.pools[n:] { // beyond 64 pools: listed order
		if visit(pi) {
			return
		}
	}
}

func contains(list []int, v int) bool {
	for _, have := range list {
		if have == v {
			return true
		}
	}
	return false
}

// pickWeighted is pickPool for policy weighted, with one draw for both
// picks: the pool the answer comes from is the fully healthy pick unless
// health moved this draw's share. Out of line, so that the other policies'
// frames do not carry its draw (docs/query-path.md §5).
//
//go:noinline
func (t *Table) pickWeighted(r *record, f Family, key uint64, l level) (first, chosen int) {
	if r.spec.Select == Hash {
		return t.hashWeighted(r, f, key, l)
	}
	u := rand.Float64()
	return t.weightedPool(r, f, anyState, u), t.weightedPool(r, f, l, u)
}

// hashWeighted is pickWeighted for select hash, in one pass: a pool's
// draw for the client is the same at both levels, only its share differs.
func (t *Table) hashWeighted(r *record, f Family, key uint64, l level) (first, chosen int) {
	first, chosen = -1, -1
	bestAny, bestAt := -1.0, -1.0
	for _, pi := range r.pools {
		p := &t.pools[pi]
		if !p.usable(f, anyState) {
			continue
		}
		d := rendezvousDraw(key, p.key)
		if s := float64(p.fam[f].share[anyState]) / d; s > bestAny {
			first, bestAny = pi, s
		}
		if !p.usable(f, l) {
			continue
		}
		if s := float64(p.fam[f].share[l]) / d; s > bestAt {
			chosen, bestAt = pi, s
		}
	}
	return first, chosen
}

// weightedPool picks a pool by its share (its weight scaled by how much of
// its members' weight is effective at level l) among the pools usable for
// family f at level l, by the draw u in [0, 1); -1 when there is none.
func (t *Table) weightedPool(r *record, f Family, l level, u float64) int {
	var total uint64
	for _, pi := range r.pools {
		p := &t.pools[pi]
		if !p.usable(f, l) {
			continue
		}
		total += p.fam[f].share[l]
	}
	if total == 0 {
		return -1
	}
	n := min(uint64(u*float64(total)), total-1)
	for _, pi := range r.pools {
		p := &t.pools[pi]
		if !p.usable(f, l) {
			continue
		}
		if share := p.fam[f].share[l]; n < share {
			return pi
		}
		n -= p.fam[f].share[l]
	}
	return -1
}
