package policy

import (
	"fmt"
	"strings"
)

// Explain says how record rec orders its pools for client c and family f
// and what each pool's state is, for the debug log. It allocates, so it
// runs only when debug logging is on.
func (t *Table) Explain(rec int, f Family, c *Client) string {
	r := &t.records[rec]
	var b strings.Builder
	fmt.Fprintf(&b, "policy %s", r.spec.Policy)
	if r.geo != nil {
		b.WriteString("; matched: " + r.geo.describe(c, r.spec.Pools))
	}
	if r.spec.Policy == Nearest && c.Geo.HasLocation {
		fmt.Fprintf(&b, "; client at %.2f %.2f", c.Geo.Lat, c.Geo.Lon)
	}
	b.WriteString("; pools in order:")
	visit := func(pi int) bool {
		p := &t.pools[pi]
		fmt.Fprintf(&b, " %s (%s)", p.name, p.why(f))
		return false
	}
	if r.spec.Policy == Weighted {
		for _, pi := range r.pools {
			p := &t.pools[pi]
			fmt.Fprintf(&b, " %s weight %d share %.2f (%s)", p.name, p.weight, float64(p.fam[f].share[serving])/weightScale, p.why(f))
		}
		return b.String()
	}
	t.inOrder(r, c, visit)
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
