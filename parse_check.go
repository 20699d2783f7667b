package gslb

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/healthcheck"
)

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
	err := p.block(what, func() error {
		opt := c.Val()
		if kind := healthcheck.KindOf(opt); kind != 0 {
			if chk.Kind != 0 {
				return c.Errf("%s: second probe kind %q: a check has one of http, https, tcp, dns, grpc", what, opt)
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
		return fmt.Errorf("%s:%d - Error during parsing: %s: expected a probe line: http PORT PATH, https PORT PATH, tcp PORT, dns PORT QNAME [TYPE] or grpc PORT [SERVICE]", c.File(), line, what)
	}
	if err := p.checkConsistent(what, &chk); err != nil {
		return err
	}
	p.cfg.Checks = append(p.cfg.Checks, chk)
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
}

// probe parses the KIND line of a check.
func (p *parser) probe(what string, chk *healthcheck.Check) error {
	c := p.c
	kind := c.Val()
	args := c.RemainingArgs()
	if err := p.braces(kind, args); err != nil {
		return err
	}
	form := probeForms[chk.Kind]
	if len(args) < form.min || len(args) > form.max {
		return c.Errf("%s: expected %s", what, form.usage)
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

// checkConsistent rejects option combinations that cannot run.
func (p *parser) checkConsistent(what string, chk *healthcheck.Check) error {
	c := p.c
	httpish := chk.Kind == healthcheck.HTTP || chk.Kind == healthcheck.HTTPS
	switch {
	case !httpish && (chk.Expect != nil || chk.Match != nil || chk.Headers != nil):
		return c.Errf("%s: expect, match and header apply to http and https checks only, not %s", what, chk.Kind)
	case !httpish && chk.Kind != healthcheck.GRPC && chk.Host != "":
		return c.Errf("%s: host applies to http, https and grpc checks only, not %s", what, chk.Kind)
	case chk.TLS.Enabled() && chk.Kind != healthcheck.HTTPS && chk.Kind != healthcheck.GRPC:
		return c.Errf("%s: TLS options apply to https and grpc checks only, not %s", what, chk.Kind)
	case chk.Timeout >= chk.Interval:
		return c.Errf("%s: timeout %s must be below interval %s", what, chk.Timeout, chk.Interval)
	}
	if httpish && chk.Expect == nil {
		chk.Expect = []healthcheck.StatusRange{{Low: 200, High: 299}}
	}
	return nil
}
