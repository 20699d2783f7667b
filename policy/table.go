package policy

import (
	"fmt"
	"net"
	"net/netip"
)

// Family is the address family of an answer: IPv4 for A, IPv6 for AAAA.
type Family int

// Address families.
const (
	IPv4 Family = iota
	IPv6
)

// weightScale turns weight × health factor into integers, so a query picks
// a member with one random number and no floating point.
const weightScale = 1000

// members is one address family of a pool, ready for selection.
type members struct {
	ips  []net.IP
	keys []uint64 // stable per-member hash seeds, for rendezvous hashing
	// weights are each member's weight at each level (0: not at that
	// level), total their sums.
	weights [levels][]uint64
	total   [levels]uint64
	// share is the pool's weight under policy weighted at each level: its
	// configured weight scaled by the fraction of its members' configured
	// weight still effective there (health, factors), so a degraded site
	// loses traffic gradually, not at once.
	share [levels]uint64
}

// level is how healthy a member must be to answer.
type level int

const (
	serving     level = iota // up and not drained
	withDrained              // drained members too: nothing else is up
	anyState                 // health ignored: on_all_down
	levels
)

// pool is a compiled pool.
type pool struct {
	name       string
	fam        [2]members
	healthy    int // up and not drained
	drainedUp  int // up but drained
	minHealthy int
	weight     uint64
	key        uint64
	degraded   bool      // a member is down or slow
	slowed     []slowed  // the members a signal lowers, for the debug log
	location   *Location // for policy nearest
}

// slowed is a member a signal lowers, as compiled; the debug log alone
// formats it.
type slowed struct {
	addr    netip.Addr
	factor  float64
	signals Signals
}

// usable reports whether the pool may answer for family f at level l.
func (p *pool) usable(f Family, l level) bool {
	switch l {
	case serving:
		return p.healthy >= p.minHealthy && p.fam[f].total[serving] > 0
	case withDrained:
		return p.healthy+p.drainedUp >= p.minHealthy && p.fam[f].total[withDrained] > 0
	}
	return len(p.fam[f].ips) > 0
}

// record is a compiled record.
type record struct {
	spec     Record
	pools    []int // indexes into Table.pools, priority order
	fallback int   // on_all_down pool, -1 when none
	has      [2]bool
	geo      *geoRoutes // policy geo
}

// Table is the compiled, immutable answer data of one configuration under
// one health state. A new Table replaces the old one whole.
type Table struct {
	pools   []pool
	records []record
}

// Compile builds a table from the configuration and the health of its
// members, which must hold pools' positions. Pools and records must have
// passed the Corefile's validation, their defaults applied; a dangling
// reference is still reported.
func Compile(pools []Pool, records []Record, health *Health) (*Table, error) {
	t := &Table{pools: make([]pool, len(pools)), records: make([]record, len(records))}
	index := make(map[string]int, len(pools))
	for i, spec := range pools {
		index[spec.Name] = i
		t.pools[i] = compilePool(spec, i, health)
	}
	for i, spec := range records {
		rec := record{spec: spec, fallback: -1}
		if spec.Policy == Geo {
			rec.geo = compileRoutes(spec)
		}
		names := spec.Pools
		if spec.OnAllDown == FallbackPool {
			names = append(names[:len(names):len(names)], spec.AllDownPool)
		}
		for j, name := range names {
			pi, ok := index[name]
			if !ok {
				return nil, fmt.Errorf("record %q: unknown pool %q", spec.Names[0], name)
			}
			if j == len(spec.Pools) {
				rec.fallback = pi
			} else {
				rec.pools = append(rec.pools, pi)
			}
			for f := range rec.has {
				rec.has[f] = rec.has[f] || len(t.pools[pi].fam[f].ips) > 0
			}
		}
		t.records[i] = rec
	}
	return t, nil
}

// compilePool compiles spec, the pool at position pi.
func compilePool(spec Pool, pi int, health *Health) pool {
	p := pool{name: spec.Name, minHealthy: spec.MinHealthy, weight: uint64(health.Weight(pi)), key: hashString(spec.Name), location: spec.Location}
	for mi, m := range spec.Members {
		f := IPv4
		if m.Addr.Is6() {
			f = IPv6
		}
		st := health.At(pi, mi)
		if st.Up && st.Factor < 1 {
			p.slowed = append(p.slowed, slowed{m.Addr, st.Factor, st.Signals})
		}
		w := uint64(m.Weight) * weightScale
		var at [levels]uint64
		at[anyState] = w
		if st.Up {
			at[withDrained] = max(uint64(float64(w)*st.Factor), 1)
			if st.Drained {
				p.drainedUp++
			} else {
				p.healthy++
				at[serving] = at[withDrained]
			}
		}
		p.degraded = p.degraded || at[serving] != w
		fam := &p.fam[f]
		fam.ips = append(fam.ips, net.IP(m.Addr.AsSlice()))
		fam.keys = append(fam.keys, hashBytes(m.Addr.AsSlice()))
		for l := range levels {
			fam.weights[l] = append(fam.weights[l], at[l])
			fam.total[l] += at[l]
		}
	}
	for f := range p.fam {
		fam := &p.fam[f]
		for l := range levels {
			if fam.total[anyState] > 0 {
				fam.share[l] = max(uint64(float64(p.weight*weightScale)*float64(fam.total[l])/float64(fam.total[anyState])), 1)
			}
		}
	}
	return p
}

// Records returns how many records the table holds.
func (t *Table) Records() int { return len(t.records) }

// Has reports whether record rec has any member of family f, healthy or
// not: a name without one is NODATA for that type, for every client.
func (t *Table) Has(rec int, f Family) bool { return t.records[rec].has[f] }

// TTL returns the record's own TTL, 0 when it has none.
func (t *Table) TTL(rec int) uint32 { return t.records[rec].spec.TTL }

// AllDown reports whether no pool of record rec is usable, drained members
// counted, for any family it has members of: its answers come from
// on_all_down.
func (t *Table) AllDown(rec int) bool {
	r := &t.records[rec]
	for _, pi := range r.pools {
		for f := range r.has {
			if r.has[f] && t.pools[pi].usable(Family(f), withDrained) {
				return false
			}
		}
	}
	return true
}

// NeedsGeo reports whether record rec's answer depends on what the GeoIP
// database says about the client, so the caller looks it up first.
func (t *Table) NeedsGeo(rec int) bool {
	r := &t.records[rec]
	return r.spec.Policy == Nearest || (r.geo != nil && r.geo.usesGeo)
}

// Answers returns how many addresses record rec answers with at most.
func (t *Table) Answers(rec int) int { return t.records[rec].spec.Answers }
