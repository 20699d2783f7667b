package gslb

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"

	gslbplugin "github.com/gslb/gslb/plugin"
)

// parser reads one gslb stanza. References between blocks (a record naming
// a pool defined further down) are checked in finish, each with the file
// and line where the reference was written.
type parser struct {
	c     *caddy.Controller
	cfg   *gslbplugin.Config
	root  string
	seen  map[string]bool // global options given once
	later []func() error
}

func newParser(c *caddy.Controller, cfg *gslbplugin.Config) *parser {
	for i, z := range cfg.Zones {
		cfg.Zones[i] = strings.ToLower(z)
	}
	return &parser{c: c, cfg: cfg, root: dnsserver.GetConfig(c).Root, seen: map[string]bool{}}
}

// global parses one line of the stanza's block.
func (p *parser) global() error {
	c := p.c
	opt := c.Val()
	if opt != "check" && opt != "pool" && opt != "record" {
		if p.seen[opt] {
			return c.Errf("option %q given twice", opt)
		}
		p.seen[opt] = true
	}
	switch opt {
	case "geoip":
		path, err := p.file("geoip", true)
		p.cfg.GeoIP = path
		return err
	case "override":
		path, err := p.file("override", false)
		p.cfg.Override = path
		return err
	case "ttl":
		ttl, err := p.ttl()
		p.cfg.TTL = ttl
		return err
	case "ecs":
		on, err := p.choice("ecs", "on", "off")
		p.cfg.ECS = on == "on"
		return err
	case "ecs_private":
		use, err := p.choice("ecs_private", "use", "ignore")
		p.cfg.ECSPrivate = use == "use"
		return err
	case "fallthrough":
		p.cfg.Fall.SetZonesFromArgs(c.RemainingArgs())
		return nil
	case "check":
		return p.check()
	case "pool":
		return p.pool()
	case "record":
		return p.record()
	}
	return c.Errf("unknown option %q: expected geoip, ttl, ecs, ecs_private, override, fallthrough, check, pool or record", opt)
}

// finish runs the deferred cross-block checks.
func (p *parser) finish() (*gslbplugin.Config, error) {
	for _, check := range p.later {
		if err := check(); err != nil {
			return nil, err
		}
	}
	return p.cfg, nil
}

// at defers a check, remembering the current position for its error.
func (p *parser) at(check func() error) {
	file, line := p.c.File(), p.c.Line()
	p.later = append(p.later, func() error {
		if err := check(); err != nil {
			return fmt.Errorf("%s:%d - Error during parsing: %w", file, line, err)
		}
		return nil
	})
}

// args returns exactly n arguments of the current option.
func (p *parser) args(n int) ([]string, error) {
	opt := p.c.Val()
	args := p.c.RemainingArgs()
	if len(args) != n {
		return nil, p.c.Errf("%s: expected %d argument(s), got %d", opt, n, len(args))
	}
	return args, p.braces(opt, args)
}

// braces rejects a brace among arguments: block lines stand on their own.
func (p *parser) braces(opt string, args []string) error {
	for _, a := range args {
		if a == "{" || a == "}" {
			return p.c.Errf("%s: unexpected %q: expected arguments on this line and the brace on a line of its own", opt, a)
		}
	}
	return nil
}

// choice reads one argument that must be one of values.
func (p *parser) choice(opt string, values ...string) (string, error) {
	args, err := p.args(1)
	if err != nil {
		return "", err
	}
	for _, v := range values {
		if args[0] == v {
			return v, nil
		}
	}
	return "", p.c.Errf("%s: expected %s, got %q", opt, strings.Join(values, " or "), args[0])
}

// file reads a path argument, resolved against the server's root.
func (p *parser) file(opt string, mustExist bool) (string, error) {
	args, err := p.args(1)
	if err != nil {
		return "", err
	}
	path := p.resolve(args[0])
	if mustExist {
		if _, err := os.Stat(path); err != nil {
			return "", p.c.Errf("%s: %v", opt, err)
		}
	}
	return path, nil
}

// resolve makes a relative path relative to the server's root.
func (p *parser) resolve(path string) string {
	if !filepath.IsAbs(path) && p.root != "" {
		return filepath.Join(p.root, path)
	}
	return path
}

// ttl reads a TTL in seconds: 1 to 86400.
func (p *parser) ttl() (uint32, error) {
	n, err := p.number("ttl", 1, 86400)
	return uint32(n), err
}

// number reads one integer argument within [low, high].
func (p *parser) number(opt string, low, high int) (int, error) {
	args, err := p.args(1)
	if err != nil {
		return 0, err
	}
	return p.parseNumber(opt, args[0], low, high)
}

func (p *parser) parseNumber(opt, s string, low, high int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < low || n > high {
		return 0, p.c.Errf("%s: expected a whole number from %d to %d, got %q", opt, low, high, s)
	}
	return n, nil
}

// block calls line for each line of the { } block that must open on the
// current line. Nested blocks are read by hand because the dispenser's
// NextBlock would take the next stanza line as block content when the
// brace is missing.
func (p *parser) block(what string, line func() error) error {
	c := p.c
	if !c.NextArg() || c.Val() != "{" {
		return c.Errf("%s: expected '{' at the end of the line to open its block", what)
	}
	for c.Next() {
		if c.Val() == "}" {
			return nil
		}
		if c.Val() == "{" {
			return c.Errf("%s: unexpected '{'", what)
		}
		if err := line(); err != nil {
			return err
		}
	}
	return c.EOFErr()
}
