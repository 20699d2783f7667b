package policy

import (
	"fmt"
	"strings"
)

// Explanation is how record rec orders its pools for a client and family,
// and what each pool's state is: for the debug log and the status API's
// explain, from the same walk the selection takes.
type Explanation struct {
	Policy  string
	Matched string // the routes that matched, policy geo; "" otherwise
	// Location is where the client is, policy nearest with a GeoIP
	// location; "" otherwise.
	Location string
	Pools    []PoolVerdict // in the client's order
}

// PoolVerdict is one pool as the selection sees it.
type PoolVerdict struct {
	Pool   string
	Usable bool   // it may answer: healthy enough and has members of the family
	Why    string // eligible, degraded (and by what), drained, down, no members of the family
	// Weight and Share are the pool's configured weight and its share now,
	// policy weighted only.
	Weight int
	Share  float64
}

// Explanation explains record rec for family f and client c. It
// allocates, so it runs only for the debug log and the status API.
func (t *Table) Explanation(rec int, f Family, c *Client) Explanation {
	r := &t.records[rec]
	e := Explanation{Policy: r.spec.Policy.String()}
	if r.geo != nil {
		e.Matched = r.geo.describe(c, r.spec.Pools)
	}
	if r.spec.Policy == Nearest && c.Geo.HasLocation {
		e.Location = fmt.Sprintf("%.2f %.2f", c.Geo.Lat, c.Geo.Lon)
	}
	verdict := func(pi int) PoolVerdict {
		p := &t.pools[pi]
		return PoolVerdict{Pool: p.name, Usable: p.usable(f, serving), Why: p.why(f)}
	}
	if r.spec.Policy == Weighted {
		for _, pi := range r.pools {
			v := verdict(pi)
			v.Weight, v.Share = int(t.pools[pi].weight), float64(t.pools[pi].fam[f].share[serving])/weightScale
			e.Pools = append(e.Pools, v)
		}
		return e
	}
	t.inOrder(r, c, func(pi int) bool {
		e.Pools = append(e.Pools, verdict(pi))
		return false
	})
	return e
}

// Explain is Explanation as one line, for the debug log.
func (t *Table) Explain(rec int, f Family, c *Client) string {
	e := t.Explanation(rec, f, c)
	var b strings.Builder
	fmt.Fprintf(&b, "policy %s", e.Policy)
	if e.Matched != "" {
		b.WriteString("; matched: " + e.Matched)
	}
	if e.Location != "" {
		b.WriteString("; client at " + e.Location)
	}
	b.WriteString("; pools in order:")
	for _, v := range e.Pools {
		if e.Policy == Weighted.String() {
			fmt.Fprintf(&b, " %s weight %d share %.2f (%s)", v.Pool, v.Weight, v.Share, v.Why)
		} else {
			fmt.Fprintf(&b, " %s (%s)", v.Pool, v.Why)
		}
	}
	return b.String()
}

// why describes whether a pool can answer for family f.
func (p *pool) why(f Family) string {
	switch {
	case p.fam[f].size() == 0 && p.hostNames && f != Host:
		return fmt.Sprintf("no %s addresses resolved", map[Family]string{IPv4: "IPv4", IPv6: "IPv6"}[f])
	case p.fam[f].size() == 0:
		return fmt.Sprintf("no %s members", map[Family]string{IPv4: "IPv4", IPv6: "IPv6", Host: "host-name"}[f])
	case p.usable(f, serving) && len(p.slowed) > 0:
		var b strings.Builder
		b.WriteString("eligible, degraded:")
		for _, m := range p.slowed {
			fmt.Fprintf(&b, " %s ×%.2f (%s)", m.name(), m.factor, m.signals)
		}
		return b.String()
	case p.usable(f, serving) && p.degraded:
		return "eligible, degraded"
	case p.usable(f, serving):
		return "eligible"
	case p.usable(f, withDrained):
		return "drained"
	}
	return fmt.Sprintf("%d of %d members up, min_healthy %d", p.healthy, p.members, p.minHealthy)
}

func (m slowed) name() string {
	if m.host != "" {
		return m.host
	}
	return m.addr.String()
}

// describe names the routes that match c.
func (g *geoRoutes) describe(c *Client, pools []string) string {
	var matched []string
	if c.Addr.IsValid() {
		if pos, scope := g.nets.lookup(c.Addr); pos >= 0 {
			matched = append(matched, fmt.Sprintf("net (scope /%d) → %s", scope, pools[pos]))
		}
	}
	if pos, ok := g.asn[c.Geo.ASN]; ok && c.Geo.ASN != 0 {
		matched = append(matched, fmt.Sprintf("asn %d → %s", c.Geo.ASN, pools[pos]))
	}
	keys := [...]string{Subdivision: c.Geo.Subdivision, Country: c.Geo.Country, Continent: c.Geo.Continent}
	for _, kind := range specificity {
		if pos, ok := g.keyed[kind][keys[kind]]; ok && keys[kind] != "" {
			matched = append(matched, fmt.Sprintf("%s %s → %s", kind, keys[kind], pools[pos]))
		}
	}
	if len(matched) == 0 {
		return "no route"
	}
	return strings.Join(matched, ", ")
}
