package config

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/kube"
	"github.com/gslb/gslb/policy"
)

// pool parses `pool NAME { member ADDRESS [weight N] [probe HOST:PORT]; ... }`.
func (p *parser) pool() error {
	c := p.c
	args := c.RemainingArgs()
	if len(args) != 1 {
		return c.Errf("pool: expected one NAME, got %d argument(s)", len(args))
	}
	if p.poolIndex(args[0]) >= 0 {
		return c.Errf("pool %q defined twice", args[0])
	}
	pool := NewPool(args[0])
	what := fmt.Sprintf("pool %q", pool.Name)
	line, minHealthyLine, probeLine := c.Line(), 0, 0
	var memberLines []int // one per member, for sourceFamilies
	found := &discovery{}
	err := p.block(what, []string{"member", "check", "service", "ingress", "gateway"}, func() error {
		var err error
		switch opt := c.Val(); opt {
		case "member":
			if err := p.member(what, &pool); err != nil {
				return err
			}
			memberLines = append(memberLines, c.Line())
			if last := pool.Members[len(pool.Members)-1]; last.Probe != "" && probeLine == 0 {
				probeLine = c.Line()
			}
			return nil
		case "check":
			return p.poolChecks(what, &pool)
		case "service", "ingress", "gateway":
			return p.discover(what, kube.KindOf(opt), found)
		case "cluster":
			args, err := p.args(1)
			if err == nil {
				found.cluster, found.clusterLine = args[0], c.Line()
			}
			return err
		case "min_healthy":
			minHealthyLine = c.Line()
			pool.MinHealthy, err = p.number(opt, 1, 1<<16)
		case "weight":
			pool.Weight, err = p.number(opt, 1, 1<<16)
		case "location":
			pool.Location, err = p.location(what)
		case "slowstart":
			pool.SlowStart, err = p.duration(what)
		default:
			return c.Errf("%s: unknown option %q: expected member, check, service, ingress, gateway, cluster, min_healthy, weight, location or slowstart", what, opt)
		}
		return err
	})
	if err != nil {
		return err
	}
	discovers := len(found.sources) > 0
	if len(pool.Members) == 0 && !discovers {
		return p.errAt(line, "%s: expected at least one member, service, ingress or gateway line", what)
	}
	if pool.MinHealthy > len(pool.Members) && !discovers { // discovered members come and go
		return p.errAt(minHealthyLine, "%s: min_healthy %d is more than its %d member(s)", what, pool.MinHealthy, len(pool.Members))
	}
	if discovers && hostPool(pool) {
		return p.errAt(memberLines[0], "%s: a pool that takes members from a cluster answers with addresses: expected address members beside its %s lines, not host names", what, found.sources[0].Source.Kind)
	}
	if probeLine > 0 && len(pool.Checks) == 0 {
		return p.errAt(probeLine, "%s: member probe needs a check line in the pool to say how to probe", what)
	}
	p.later = append(p.later, func() error { return p.sourceFamilies(what, &pool, memberLines) }, p.discovered(what, len(p.cfg.Pools), found))
	p.discovering[pool.Name] = discovers
	p.pools[pool.Name] = len(p.cfg.Pools)
	p.cfg.Pools = append(p.cfg.Pools, pool)
	p.defined["pool "+pool.Name] = line
	return nil
}

// member parses `member ADDRESS [weight N] [probe HOST:PORT]`.
func (p *parser) member(what string, pool *policy.Pool) error {
	c := p.c
	args, err := p.rest()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return c.Errf("%s: member: expected ADDRESS [weight N] [probe HOST:PORT]", what)
	}
	m, err := p.memberName(what, args[0])
	if err != nil {
		return err
	}
	for _, other := range pool.Members {
		if other.Addr == m.Addr && other.Host == m.Host {
			return c.Errf("%s: member %s listed twice", what, m.Name())
		}
		if (other.Host == "") != (m.Host == "") {
			return c.Errf("%s: member %s: a pool's members are all addresses or all host names (a CNAME answer names one host, an address answer lists addresses): expected a pool of its own", what, m.Name())
		}
	}
	seen := map[string]bool{}
	for rest := args[1:]; len(rest) > 0; rest = rest[2:] {
		if rest[0] != "weight" && rest[0] != "probe" {
			return c.Errf("%s: member %s: unknown option %q: expected weight or probe", what, m.Name(), rest[0])
		}
		if len(rest) < 2 {
			return c.Errf("%s: member %s: expected a value after %q", what, m.Name(), rest[0])
		}
		if seen[rest[0]] {
			return c.Errf("%s: member %s: %q given twice", what, m.Name(), rest[0])
		}
		seen[rest[0]] = true
		switch rest[0] {
		case "weight":
			if m.Weight, err = p.parseNumber("member "+m.Name()+": weight", rest[1], 1, 1<<16); err != nil {
				return err
			}
		case "probe":
			if err := p.hostPort(what, rest[1]); err != nil {
				return err
			}
			m.Probe = rest[1]
		}
	}
	pool.Members = append(pool.Members, m)
	return nil
}

// memberName reads a member's address, or its host name: a cloud load
// balancer's, always fully qualified (nlb.example.net and
// nlb.example.net. are one name), whose last label is not a number, so
// that a mistyped address (192.0.2.300) is not taken for a name.
func (p *parser) memberName(what, s string) (policy.Member, error) {
	c := p.c
	if addr, err := netip.ParseAddr(s); err == nil {
		if addr.Zone() != "" {
			return policy.Member{}, c.Errf("%s: member: expected an IPv4 or IPv6 address without a zone, got %q", what, s)
		}
		if addr = addr.Unmap(); !unicast(addr) {
			return policy.Member{}, c.Errf("%s: member: expected a unicast address, got %s", what, addr)
		}
		return policy.Member{Addr: addr, Weight: DefaultWeight}, nil
	}
	name := dns.Fqdn(strings.ToLower(s))
	labels := dns.SplitDomainName(name)
	if _, ok := dns.IsDomainName(name); !ok || len(labels) == 0 || strings.ContainsAny(s, ":*/ ") || isNumber(labels[len(labels)-1]) {
		return policy.Member{}, c.Errf("%s: member: expected an IPv4 or IPv6 address or a host name, got %q", what, s)
	}
	return policy.Member{Host: name, Weight: DefaultWeight}, nil
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// hostPort validates a probe target such as 127.0.0.1:8443 or [::1]:443.
func (p *parser) hostPort(what, s string) error {
	host, port, err := net.SplitHostPort(s)
	n, perr := strconv.ParseUint(port, 10, 16)
	if err != nil || host == "" || perr != nil || n == 0 {
		return p.c.Errf("%s: probe: expected HOST:PORT such as 127.0.0.1:8443, got %q", what, s)
	}
	return nil
}

// poolChecks parses `check NAME...`; the names are resolved in finish.
func (p *parser) poolChecks(what string, pool *policy.Pool) error {
	c := p.c
	names, err := p.rest()
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return c.Errf("%s: check: expected one or more check names", what)
	}
	for _, name := range names {
		for _, have := range pool.Checks {
			if have == name {
				return c.Errf("%s: check %q listed twice", what, name)
			}
		}
		pool.Checks = append(pool.Checks, name)
		p.at(func() error {
			if p.checkIndex(name) >= 0 {
				return nil
			}
			return fmt.Errorf("%s: unknown check %q", what, name)
		})
	}
	return nil
}

// location parses `location LAT LON` in degrees.
func (p *parser) location(what string) (*policy.Location, error) {
	args, err := p.args(2)
	if err != nil {
		return nil, err
	}
	lat, err1 := strconv.ParseFloat(args[0], 64)
	lon, err2 := strconv.ParseFloat(args[1], 64)
	if err1 != nil || err2 != nil || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) { // NaN fails both
		return nil, p.c.Errf("%s: location: expected LAT LON in degrees (-90..90, -180..180), got %q %q", what, args[0], args[1])
	}
	return &policy.Location{Lat: lat, Lon: lon}, nil
}

// poolIndex returns the index of the pool named name, or -1.
func (p *parser) poolIndex(name string) int {
	if i, ok := p.pools[name]; ok {
		return i
	}
	return -1
}
