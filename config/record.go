package config

import (
	"fmt"
	"strings"

	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/policy"
)

var policyKinds = map[string]policy.Kind{
	"failover": policy.Failover, "weighted": policy.Weighted, "geo": policy.Geo, "nearest": policy.Nearest,
}

// record parses `record NAME... { ... }`.
func (p *parser) record() error {
	c := p.c
	args := c.RemainingArgs()
	if len(args) == 0 {
		return c.Err("record: expected one or more NAMEs")
	}
	rec := NewRecord()
	for _, arg := range args {
		names, err := p.recordNames(arg)
		if err != nil {
			return err
		}
		for _, n := range names {
			if contains(rec.Names, n) {
				return c.Errf("record %q: name listed twice", n)
			}
		}
		rec.Names = append(rec.Names, names...)
	}
	what := fmt.Sprintf("record %q", args[0])
	lines := recordLines{record: c.Line()}
	var services []Service
	err := p.block(what, []string{"route", "https", "svcb"}, func() error {
		var err error
		switch opt := c.Val(); opt {
		case "policy":
			var kind string
			lines.policy = c.Line()
			kind, err = p.choice(opt, "failover", "weighted", "geo", "nearest")
			rec.Policy = policyKinds[kind]
		case "pools":
			lines.pools = c.Line()
			err = p.recordPools(what, &rec)
		case "route":
			lines.routes = append(lines.routes, c.Line())
			err = p.route(what, &rec)
		case "answers":
			rec.Answers, err = p.number(opt, 1, 64)
		case "select":
			var sel string
			sel, err = p.choice(opt, "random", "hash")
			rec.Select = policy.Random
			if sel == "hash" {
				rec.Select = policy.Hash
			}
		case "ttl":
			rec.TTL, err = p.ttl()
		case "on_all_down":
			err = p.onAllDown(what, &rec)
		case "flatten":
			lines.flatten = c.Line()
			rec.Flatten = true
			_, err = p.args(0)
		case "https", "svcb":
			var svc Service
			if lines.services == 0 {
				lines.services = c.Line()
			}
			svc, err = p.service()
			services = append(services, svc)
		default:
			return c.Errf("%s: unknown option %q: expected policy, pools, route, answers, select, ttl, on_all_down, flatten, https or svcb", what, opt)
		}
		return err
	})
	if err != nil {
		return err
	}
	if len(services) > 0 {
		if p.cfg.Services == nil {
			p.cfg.Services = map[int][]Service{}
		}
		p.cfg.Services[len(p.cfg.Records)] = services
	}
	return p.recordConsistent(what, lines, &rec)
}

// recordNames expands one NAME: relative names (and @ for the apex) are
// taken in every zone of the stanza; fully qualified ones must be in one.
func (p *parser) recordNames(name string) ([]string, error) {
	c := p.c
	name = strings.ToLower(name)
	if strings.Contains(strings.TrimPrefix(strings.TrimPrefix(name, "*"), "."), "*") || (strings.HasPrefix(name, "*") && name != "*" && !strings.HasPrefix(name, "*.")) {
		return nil, c.Errf("record %q: a wildcard is * as the whole first label, as in *.apps: expected a name or a wildcard name", name)
	}
	if name == "{" || name == "}" {
		return nil, c.Errf("record: expected NAME before %q", name)
	}
	var names []string
	if dns.IsFqdn(name) {
		names = []string{name}
		if coreplugin.Zones(p.cfg.Zones).Matches(name) == "" {
			return nil, c.Errf("record %q: not in the plugin's zones %s", name, strings.Join(p.cfg.Zones, " "))
		}
	} else if zone := coreplugin.Zones(p.cfg.Zones).Matches(dns.Fqdn(name)); zone != "" && zone != "." {
		// Written as a full name without the final dot: taken relative, it
		// would answer as NAME.ZONE.ZONE, a name nobody asks for.
		rel := strings.TrimSuffix(strings.TrimSuffix(dns.Fqdn(name), zone), ".")
		if rel == "" {
			rel = "@"
		}
		return nil, c.Errf("record %q: a relative name ending in its zone %s would be %s: expected %s. (with the final dot) or %s", name, zone, dns.Fqdn(name)+zone, name, rel)
	} else {
		for _, zone := range p.cfg.Zones {
			if name == "@" {
				names = append(names, zone)
			} else {
				names = append(names, dns.Fqdn(name)+strings.TrimPrefix(zone, "."))
			}
		}
	}
	for _, n := range names {
		if _, ok := dns.IsDomainName(n); !ok {
			return nil, c.Errf("record %q: expected a domain name", n)
		}
		if _, dup := p.records[n]; dup {
			return nil, c.Errf("record %q defined twice", n)
		}
		zone := coreplugin.Zones(p.cfg.Zones).Matches(n)
		if n == "*."+zone && zone != "." {
			// Allowed, but every name of the zone without a record would
			// answer: fallthrough could never apply.
			p.warn(c.Line(), "record %q: the wildcard covers every name of zone %s that has no record", n, zone)
		}
		p.at(func() error {
			if len(p.cfg.NameServers) == 0 && dns.IsSubDomain(NameServer(zone), n) {
				return fmt.Errorf("record %q: %s is the zone's name server, which answers with the address the query arrived on: expected another name or ns lines", n, NameServer(zone))
			}
			return nil
		})
	}
	return names, nil
}

// indexRecord notes the names of cfg.Records[i] for the duplicate check.
func (p *parser) indexRecord(i int, rec policy.Record) {
	for _, n := range rec.Names {
		p.records[n] = i
	}
}

func contains(list []string, s string) bool {
	for _, have := range list {
		if have == s {
			return true
		}
	}
	return false
}
