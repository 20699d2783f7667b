package config

import (
	"strings"

	"github.com/gslb/gslb/policy"
)

// onAllDown parses `on_all_down all|pool NAME|fallthrough|servfail`.
func (p *parser) onAllDown(what string, rec *policy.Record) error {
	c := p.c
	args, err := p.rest()
	if err != nil {
		return err
	}
	modes := map[string]policy.AllDown{"all": policy.AllMembers, "fallthrough": policy.Fallthrough, "servfail": policy.ServFail}
	if mode, ok := modes[firstOf(args)]; ok && len(args) == 1 {
		rec.OnAllDown = mode
		return nil
	}
	if len(args) == 2 && args[0] == "pool" {
		rec.OnAllDown, rec.AllDownPool = policy.FallbackPool, args[1]
		p.poolExists(what+": on_all_down", args[1])
		return nil
	}
	return c.Errf("%s: on_all_down: expected all, pool NAME, fallthrough or servfail, got %q", what, strings.Join(args, " "))
}

func firstOf(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// recordLines are where a record block and its options were written, so
// that an error found once the block is read points at the line to fix.
type recordLines struct {
	record, policy, pools int
	routes                []int // one per route line, in order
	flatten, services     int
}

// recordConsistent checks a whole record block once it is read. Checks that
// need the rest of the stanza (pools, geoip) are deferred to finish.
func (p *parser) recordConsistent(what string, lines recordLines, rec *policy.Record) error {
	if len(rec.Pools) == 0 {
		return p.errAt(lines.record, "%s: expected a pools line naming the record's pools in priority order", what)
	}
	if len(rec.Routes) > 0 && rec.Policy != policy.Geo {
		if lines.policy == 0 {
			return p.errAt(lines.routes[0], "%s: route lines need policy geo: expected a policy geo line", what)
		}
		return p.errAt(lines.policy, "%s: route lines need policy geo, not %s", what, rec.Policy)
	}
	geoLine := 0 // the first line that needs a geoip database
	if rec.Policy == policy.Nearest {
		geoLine = lines.policy
	}
	for i, r := range rec.Routes {
		if r.Kind != policy.Net && geoLine == 0 {
			geoLine = lines.routes[i]
		}
	}
	p.later = append(p.later, func() error {
		if geoLine > 0 && p.cfg.GeoIP.Name == "" {
			return p.errAt(geoLine, "%s: policy nearest and routes other than net need a geoip database: expected a geoip FILE line", what)
		}
		if rec.Policy != policy.Nearest {
			return nil
		}
		for _, name := range rec.Pools {
			if i := p.poolIndex(name); i >= 0 && p.cfg.Pools[i].Location == nil {
				return p.errAt(lines.pools, "%s: policy nearest needs a location line in pool %q", what, name)
			}
		}
		return nil
	})
	p.later = append(p.later, func() error { return p.hostNames(what, lines, rec) })
	p.indexRecord(len(p.cfg.Records), *rec)
	p.cfg.Records = append(p.cfg.Records, *rec)
	return nil
}
