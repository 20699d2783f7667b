package policy

import (
	"fmt"
	"net"
	"net/netip"
)

// Family is the address family of an answer: IPv4 for A, IPv6 for AAAA,
// Host for the CNAME of a record whose members are host names.
type Family int

// Answer families.
const (
	IPv4 Family = iota
	IPv6
	Host
	families
)

// weightScale turns weight × health factor into integers, so a query picks
// a member with one random number and no floating point.
const weightScale = 1000

// members is one address family of a pool, ready for selection.
type members struct {
	ips   []net.IP // families IPv4 and IPv6
	hosts []string // family Host
	keys  []uint64 // stable per-member hash seeds, for rendezvous hashing; one per entry
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
	fam        [families]members
	hostNames  bool // its members are host names: it may have addresses of either family
	members    int
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
	host    string
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
	return p.fam[f].size() > 0
}

// size is how many entries (addresses or host names) m holds.
func (m *members) size() int { return len(m.keys) }

// record is a compiled record.
type record struct {
	spec     Record
	pools    []int // indexes into Table.pools, priority order
	fallback int   // on_all_down pool, -1 when none
	has      [families]bool
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
			p := &t.pools[pi]
			for f := range rec.has {
				// A host-name pool may have addresses of either family
				// once its names resolve: until then the name is not NODATA.
				rec.has[f] = rec.has[f] || p.fam[f].size() > 0 || (p.hostNames && Family(f) != Host && spec.Flatten)
			}
		}
		t.records[i] = rec
	}
	return t, nil
}

// compilePool compiles spec, the pool at position pi.
func compilePool(spec Pool, pi int, health *Health) pool {
	p := pool{name: spec.Name, minHealthy: spec.MinHealthy, weight: uint64(health.Weight(pi)), key: hashString(spec.Name), location: spec.Location, members: len(spec.Members)}
	for mi, m := range spec.Members {
		st := health.At(pi, mi)
		if st.Up && st.Factor < 1 {
			p.slowed = append(p.slowed, slowed{m.Addr, m.Host, st.Factor, st.Signals})
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
		if m.Host == "" {
			p.fam[familyOf(m.Addr)].add(net.IP(m.Addr.AsSlice()), hashBytes(m.Addr.AsSlice()), at, 1)
			continue
		}
		p.hostNames = true
		host := &p.fam[Host]
		host.hosts = append(host.hosts, m.Host)
		host.add(nil, hashString(m.Host), at, 1)
		p.flatten(health.Addrs(pi, mi), at)
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

// flatten adds a host-name member's addresses to the pool's families,
// each with an even part of the member's weight: the name is one member,
// whatever number of addresses it has.
func (p *pool) flatten(addrs []netip.Addr, at [levels]uint64) {
	var n [2]uint64
	for _, a := range addrs {
		n[familyOf(a)]++
	}
	for _, a := range addrs {
		p.fam[familyOf(a)].add(net.IP(a.AsSlice()), hashBytes(a.AsSlice()), at, n[familyOf(a)])
	}
}

// add appends one entry with the weights at, divided by parts (an
// address that shares its member's weight with others), to m.
func (m *members) add(ip net.IP, key uint64, at [levels]uint64, parts uint64) {
	if ip != nil {
		m.ips = append(m.ips, ip)
	}
	m.keys = append(m.keys, key)
	for l := range levels {
		w := at[l]
		if w > 0 {
			w = max(w/parts, 1)
		}
		m.weights[l] = append(m.weights[l], w)
		m.total[l] += w
	}
}

// Alias reports whether record rec answers with a CNAME to a host-name
// member, for every type: its members are host names and it does not
// flatten them.
func (t *Table) Alias(rec int) bool {
	r := &t.records[rec]
	return r.has[Host] && !r.spec.Flatten
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
