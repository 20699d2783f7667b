package config

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/gslb/gslb/policy"
)

// continents are the codes of MaxMind's continent.code field.
var continents = map[string]bool{"AF": true, "AN": true, "AS": true, "EU": true, "NA": true, "OC": true, "SA": true}

// recordPools parses `pools NAME...`; names are resolved in finish.
func (p *parser) recordPools(what string, rec *policy.Record) error {
	c := p.c
	names, err := p.rest()
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return c.Errf("%s: pools: expected one or more pool names in priority order", what)
	}
	for _, name := range names {
		if contains(rec.Pools, name) {
			return c.Errf("%s: pool %q listed twice", what, name)
		}
		rec.Pools = append(rec.Pools, name)
		p.poolExists(what, name)
	}
	return nil
}

// poolExists defers the check that pool name is defined, to the end of the
// stanza: pools may be defined after the records that name them.
func (p *parser) poolExists(what, name string) {
	p.at(func() error {
		if p.poolIndex(name) < 0 {
			return fmt.Errorf("%s: unknown pool %q", what, name)
		}
		return nil
	})
}

// route parses `route POOL KIND VALUES...`.
func (p *parser) route(what string, rec *policy.Record) error {
	c := p.c
	args, err := p.rest()
	if err != nil {
		return err
	}
	if len(args) < 3 {
		return c.Errf("%s: route: expected POOL KIND VALUES... with KIND net, country, continent, subdivision or asn", what)
	}
	r := policy.Route{Pool: args[0], Kind: policy.RouteKindOf(args[1])}
	if r.Kind == 0 {
		return c.Errf("%s: route: unknown KIND %q: expected net, country, continent, subdivision or asn", what, args[1])
	}
	for _, v := range args[2:] {
		value, err := p.routeValue(what, r.Kind, v)
		if err != nil {
			return err
		}
		if pool := routed(rec.Routes, r, value); pool != "" {
			return c.Errf("%s: route %s %s given twice (pools %q and %q)", what, r.Kind, value, pool, r.Pool)
		}
		if r.Kind == policy.Net {
			r.Nets = append(r.Nets, netip.MustParsePrefix(value))
		} else {
			r.Values = append(r.Values, value)
		}
	}
	p.at(func() error {
		if !contains(rec.Pools, r.Pool) {
			return fmt.Errorf("%s: route to pool %q, which is not in the record's pools: expected one of %s", what, r.Pool, strings.Join(rec.Pools, " "))
		}
		return nil
	})
	rec.Routes = append(rec.Routes, r)
	return nil
}

// routed returns the pool that the record's routes, or the route line
// being read, already send value to, or "".
func routed(routes []policy.Route, r policy.Route, value string) string {
	has := func(route policy.Route) bool {
		return route.Kind == r.Kind && (slices.Contains(route.Values, value) ||
			slices.ContainsFunc(route.Nets, func(n netip.Prefix) bool { return n.String() == value }))
	}
	if has(r) {
		return r.Pool
	}
	if i := slices.IndexFunc(routes, has); i >= 0 {
		return routes[i].Pool
	}
	return ""
}

// routeValue checks and normalises one route value.
func (p *parser) routeValue(what string, kind policy.RouteKind, v string) (string, error) {
	c := p.c
	switch kind {
	case policy.Net:
		prefix, err := netip.ParsePrefix(v)
		if err != nil {
			return "", c.Errf("%s: route net: expected a CIDR prefix such as 10.1.0.0/16, got %q", what, v)
		}
		if prefix.Masked() != prefix {
			return "", c.Errf("%s: route net: %q has bits set beyond its prefix length: expected %s", what, v, prefix.Masked())
		}
		if prefix.Addr().Is4In6() {
			return "", c.Errf("%s: route net: %q is IPv4-mapped: write the IPv4 prefix", what, v)
		}
		return prefix.String(), nil
	case policy.Country:
		if len(v) != 2 || strings.ToUpper(v) != strings.Map(upperLetter, v) {
			return "", c.Errf("%s: route country: expected an ISO 3166-1 alpha-2 code such as DE, got %q", what, v)
		}
		return strings.ToUpper(v), nil
	case policy.Continent:
		if !continents[strings.ToUpper(v)] {
			return "", c.Errf("%s: route continent: expected one of AF AN AS EU NA OC SA, got %q", what, v)
		}
		return strings.ToUpper(v), nil
	case policy.Subdivision:
		country, sub, ok := strings.Cut(strings.ToUpper(v), "-")
		if !ok || len(country) != 2 || sub == "" || len(sub) > 3 || strings.Map(upperLetter, country) != country || strings.IndexFunc(sub, notAlnum) >= 0 {
			return "", c.Errf("%s: route subdivision: expected an ISO 3166-2 code such as US-CA, got %q", what, v)
		}
		return strings.ToUpper(v), nil
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(strings.ToUpper(v), "AS"), 10, 32)
	if err != nil {
		return "", c.Errf("%s: route asn: expected an AS number such as 64500 or AS64500, got %q", what, v)
	}
	return strconv.FormatUint(n, 10), nil
}

// notAlnum reports whether r is not an upper case letter or a digit.
func notAlnum(r rune) bool {
	return (r < 'A' || r > 'Z') && (r < '0' || r > '9')
}

// upperLetter maps letters to upper case and everything else to a marker
// that cannot match, so one Map call both validates and normalises.
func upperLetter(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	}
	return '!'
}
