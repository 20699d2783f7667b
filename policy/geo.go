package policy

import (
	"math"
	"strconv"
)

// GeoInfo is what a GeoIP database says about the client's address.
type GeoInfo struct {
	Found                           bool
	Continent, Country, Subdivision string // EU, DE, DE-HE
	ASN                             uint32
	HasLocation                     bool
	Lat, Lon                        float64
	// Bits is the prefix length of the database network holding the
	// client: every address in it gets the same data.
	Bits int
}

// geoRoutes are a geo record's routes, compiled. Pools are positions in
// the record's pools list.
type geoRoutes struct {
	nets    netTrie
	keyed   [Net]map[string]int // by RouteKind: value → pool position
	asn     map[uint32]int
	usesGeo bool // routes other than net: the database decides too
}

// specificity is the order in which matching routes rank.
var specificity = [...]RouteKind{Subdivision, Country, Continent}

func compileRoutes(spec Record) *geoRoutes {
	g := &geoRoutes{}
	position := func(name string) int {
		for i, p := range spec.Pools {
			if p == name {
				return i
			}
		}
		return -1
	}
	for _, route := range spec.Routes {
		pos := position(route.Pool)
		for _, n := range route.Nets {
			g.nets.insert(n.Masked(), pos)
		}
		if route.Kind == Net {
			continue
		}
		g.usesGeo = true
		if route.Kind == ASN {
			g.asn = addASNs(g.asn, route.Values, pos)
			continue
		}
		if g.keyed[route.Kind] == nil {
			g.keyed[route.Kind] = map[string]int{}
		}
		for _, v := range route.Values {
			g.keyed[route.Kind][v] = pos
		}
	}
	g.nets.seal()
	return g
}

// preferred writes the positions of the pools the client's routes match,
// most specific first (net, asn, subdivision, country, continent), and
// returns them with the scope of the verdict.
func (g *geoRoutes) preferred(c *Client, out []int) ([]int, int) {
	pos, scope := -1, 0
	if c.Addr.IsValid() {
		pos, scope = g.nets.lookup(c.Addr)
	}
	out = appendNew(out, pos)
	if !g.usesGeo {
		return out, scope
	}
	return g.byLocation(c, out), max(scope, c.Geo.Bits)
}

// byLocation appends the pools of the routes that match the client's
// GeoIP data. Out of line, its keys and map lookups take no stack in
// records routed by net alone.
//
//go:noinline
func (g *geoRoutes) byLocation(c *Client, out []int) []int {
	if !c.Geo.Found {
		return out
	}
	if pos, ok := g.asn[c.Geo.ASN]; ok && c.Geo.ASN != 0 {
		out = appendNew(out, pos)
	}
	keys := [...]string{Subdivision: c.Geo.Subdivision, Country: c.Geo.Country, Continent: c.Geo.Continent}
	for _, kind := range specificity {
		if pos, ok := g.keyed[kind][keys[kind]]; ok && keys[kind] != "" {
			out = appendNew(out, pos)
		}
	}
	return out
}

// addASNs adds AS numbers, validated by the Corefile parser, to m.
func addASNs(m map[uint32]int, values []string, pos int) map[uint32]int {
	if m == nil {
		m = map[uint32]int{}
	}
	for _, v := range values {
		if n, err := strconv.ParseUint(v, 10, 32); err == nil {
			m[uint32(n)] = pos
		}
	}
	return m
}

// appendNew appends pos unless it is -1 or already there.
func appendNew(out []int, pos int) []int {
	if pos < 0 {
		return out
	}
	for _, have := range out {
		if have == pos {
			return out
		}
	}
	return append(out, pos)
}

// earthRadiusKm is the mean radius of the Earth.
const earthRadiusKm = 6371.0

// distanceKm is the great-circle (haversine) distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	toRad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*toRad, (lon2-lon1)*toRad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*toRad)*math.Cos(lat2*toRad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}
