package gslb

import (
	"fmt"

	"github.com/gslb/gslb/policy"
)

// onAllDown parses `on_all_down all|pool NAME|fallthrough|servfail`.
func (p *parser) onAllDown(what string, rec *policy.Record) error {
	c := p.c
	args := c.RemainingArgs()
	if err := p.braces("on_all_down", args); err != nil {
		return err
	}
	modes := map[string]policy.AllDown{"all": policy.AllMembers, "fallthrough": policy.Fallthrough, "servfail": policy.ServFail}
	if mode, ok := modes[firstOf(args)]; ok && len(args) == 1 {
		rec.OnAllDown = mode
		return nil
	}
	if len(args) == 2 && args[0] == "pool" {
		rec.OnAllDown, rec.AllDownPool = policy.FallbackPool, args[1]
		p.later = append(p.later, p.poolExists(what+": on_all_down", args[1]))
		return nil
	}
	return c.Errf("%s: on_all_down: expected all, pool NAME, fallthrough or servfail, got %q", what, args)
}

func firstOf(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// recordConsistent checks a whole record block once it is read. Checks that
// need the rest of the stanza (pools, geoip) are deferred to finish.
func (p *parser) recordConsistent(what string, line int, policySet bool, rec *policy.Record) error {
	c := p.c
	errAt := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d - Error during parsing: %s: %s", c.File(), line, what, fmt.Sprintf(format, args...))
	}
	if len(rec.Pools) == 0 {
		return errAt("expected a pools line naming the record's pools in priority order")
	}
	if len(rec.Routes) > 0 && rec.Policy != policy.Geo {
		if !policySet {
			return errAt("route lines need policy geo")
		}
		return errAt("route lines need policy geo, not %s", rec.Policy)
	}
	seen := map[string]string{}
	needGeoIP := rec.Policy == policy.Nearest
	for _, r := range rec.Routes {
		keys := r.Values
		for _, n := range r.Nets {
			keys = append(keys, n.String())
		}
		for _, k := range keys {
			key := r.Kind.String() + " " + k
			if pool, dup := seen[key]; dup {
				return errAt("route %s is given twice (pools %q and %q)", key, pool, r.Pool)
			}
			seen[key] = r.Pool
		}
		needGeoIP = needGeoIP || r.Kind != policy.Net
	}
	file := c.File()
	p.later = append(p.later, func() error {
		if needGeoIP && p.cfg.GeoIP == "" {
			return fmt.Errorf("%s:%d - Error during parsing: %s: policy %s and routes other than net need a geoip database: expected a geoip FILE line", file, line, what, rec.Policy)
		}
		if rec.Policy != policy.Nearest {
			return nil
		}
		for _, name := range rec.Pools {
			if i := p.poolIndex(name); i >= 0 && p.cfg.Pools[i].Location == nil {
				return fmt.Errorf("%s:%d - Error during parsing: %s: policy nearest needs a location line in pool %q", file, line, what, name)
			}
		}
		return nil
	})
	p.cfg.Records = append(p.cfg.Records, *rec)
	return nil
}
