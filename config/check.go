package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/healthcheck"
)

// checkRepeatable are the check lines that may be given more than once;
// a second probe line is reported by check itself.
var checkRepeatable = []string{"header", "http", "https", "tcp", "dns", "grpc", "agent"}

// check parses `check NAME { KIND ARGS...; options }`.
func (p *parser) check() error {
	c := p.c
	args := c.RemainingArgs()
	if len(args) != 1 {
		return c.Errf("check: expected one NAME, got %d argument(s)", len(args))
	}
	name := args[0]
	for _, other := range p.cfg.Checks {
		if other.Name == name {
			return c.Errf("check %q defined twice", name)
		}
	}
	what := fmt.Sprintf("check %q", name)
	chk := healthcheck.NewCheck(name, 0)
	line := c.Line()
	lines := map[string]int{} // option -> line of its first use, for checkConsistent
	err := p.block(what, checkRepeatable, func() error {
		opt := c.Val()
		if _, ok := lines[opt]; !ok {
			lines[opt] = c.Line()
		}
		if kind := healthcheck.KindOf(opt); kind != 0 {
			if chk.Kind != 0 {
				return c.Errf("%s: second probe kind %q: a check has one of http, https, tcp, dns, grpc, agent, promql", what, opt)
			}
			chk.Kind = kind
			return p.probe(what, &chk)
		}
		return p.checkOption(what, &chk)
	})
	if err != nil {
		return err
	}
	if chk.Kind == 0 {
		return p.errAt(line, "%s: expected a probe line: http PORT PATH, https PORT PATH, tcp PORT, dns PORT QNAME [TYPE], grpc PORT [SERVICE], agent PORT or promql URL QUERY", what)
	}
	if err := p.checkConsistent(what, lines, &chk); err != nil {
		return err
	}
	p.cfg.Checks = append(p.cfg.Checks, chk)
	p.defined["check "+name] = line
	return nil
}

// probeForms is the argument list of each probe kind.
var probeForms = map[healthcheck.Kind]struct {
	usage    string
	min, max int
}{
	healthcheck.HTTP:  {"http PORT PATH", 2, 2},
	healthcheck.HTTPS: {"https PORT PATH", 2, 2},
	healthcheck.TCP:   {"tcp PORT", 1, 1},
	healthcheck.DNS:   {"dns PORT QNAME [TYPE]", 2, 3},
	healthcheck.GRPC:  {"grpc PORT [SERVICE]", 1, 2},
	healthcheck.Agent: {"agent PORT", 1, 1},

	healthcheck.PromQL: {"promql URL QUERY", 2, 2},
}

// probe parses the KIND line of a check.
func (p *parser) probe(what string, chk *healthcheck.Check) error {
	c := p.c
	args, err := p.rest()
	if err != nil {
		return err
	}
	form := probeForms[chk.Kind]
	if len(args) < form.min || len(args) > form.max {
		return c.Errf("%s: expected %s", what, form.usage)
	}
	if chk.Kind == healthcheck.PromQL {
		return p.promqlProbe(what, chk, args)
	}
	port, err := strconv.ParseUint(args[0], 10, 16)
	if err != nil || port == 0 {
		return c.Errf("%s: expected a port from 1 to 65535, got %q", what, args[0])
	}
	chk.Port = uint16(port)
	switch chk.Kind {
	case healthcheck.HTTP, healthcheck.HTTPS:
		if !strings.HasPrefix(args[1], "/") {
			return c.Errf("%s: expected a PATH starting with '/', got %q", what, args[1])
		}
		chk.Path = args[1]
	case healthcheck.DNS:
		if _, ok := dns.IsDomainName(args[1]); !ok {
			return c.Errf("%s: expected a domain name to ask for, got %q", what, args[1])
		}
		chk.QName, chk.QType = dns.Fqdn(args[1]), dns.TypeA
		if len(args) == 3 {
			t, ok := dns.StringToType[strings.ToUpper(args[2])]
			if !ok {
				return c.Errf("%s: expected a record type such as A, AAAA, SOA, got %q", what, args[2])
			}
			chk.QType = t
		}
	case healthcheck.GRPC:
		if len(args) == 2 {
			chk.Service = args[1]
		}
	}
	return nil
}

// checkConsistent rejects option combinations that cannot run, at the
// line of the option that does not fit.
func (p *parser) checkConsistent(what string, lines map[string]int, chk *healthcheck.Check) error {
	httpish := chk.Kind == healthcheck.HTTP || chk.Kind == healthcheck.HTTPS
	if !httpish {
		if opt, line := firstLine(lines, "expect", "match", "header", "agent_header"); line > 0 {
			return p.errAt(line, "%s: %s applies to http and https checks only, not %s", what, opt, chk.Kind)
		}
		if line := lines["host"]; line > 0 && chk.Kind != healthcheck.GRPC {
			return p.errAt(line, "%s: host applies to http, https and grpc checks only, not %s", what, chk.Kind)
		}
	}
	if chk.Kind != healthcheck.HTTPS && chk.Kind != healthcheck.GRPC {
		if opt, line := firstLine(lines, "tls_skip_verify", "tls_ca", "tls_cert"); line > 0 {
			return p.errAt(line, "%s: %s applies to https and grpc checks only, not %s", what, opt, chk.Kind)
		}
	}
	if err := p.promqlConsistent(what, lines, chk); err != nil {
		return err
	}
	if chk.Timeout >= chk.Interval {
		line := max(lines["timeout"], lines["interval"]) // the later of the two conflicts with the other
		return p.errAt(line, "%s: timeout %s must be below interval %s", what, chk.Timeout, chk.Interval)
	}
	if chk.Slow > 0 && chk.Slow >= chk.Timeout {
		// A probe slower than its timeout fails: such a slow never lowers a weight.
		line := max(lines["slow"], lines["timeout"])
		return p.errAt(line, "%s: slow %s must be below timeout %s, or it can never apply", what, chk.Slow, chk.Timeout)
	}
	return nil
}

// firstLine returns the option among opts given first in the block and its
// line, or a zero line when none was given.
func firstLine(lines map[string]int, opts ...string) (string, int) {
	var first string
	for _, opt := range opts {
		if l := lines[opt]; l > 0 && (first == "" || l < lines[first]) {
			first = opt
		}
	}
	return first, lines[first]
}
