package gslb

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"
	coreplugin "github.com/coredns/coredns/plugin"

	"github.com/gslb/gslb/geoip"
	gslbplugin "github.com/gslb/gslb/plugin"
)

// parser reads one gslb stanza. References between blocks (a record naming
// a pool defined further down) are checked in finish, each with the file
// and line where the reference was written.
type parser struct {
	c     *caddy.Controller
	cfg   *gslbplugin.Config
	root  string
	what  string // the block being read, prefixed to the generic helpers' errors
	later []func() error

	// Indexes of what cfg holds so far, so that duplicate and reference
	// checks take one lookup, not a scan of every earlier pool or record.
	pools   map[string]int // pool name → index in cfg.Pools
	records map[string]int // record name → index in cfg.Records
}

func newParser(c *caddy.Controller, cfg *gslbplugin.Config) *parser {
	zones := cfg.Zones[:0]
	for _, z := range cfg.Zones {
		if z = strings.ToLower(z); !slices.Contains(zones, z) { // a zone given twice would give its records each name twice
			zones = append(zones, z)
		}
	}
	cfg.Zones = zones
	p := &parser{c: c, cfg: cfg, root: dnsserver.GetConfig(c).Root, pools: map[string]int{}, records: map[string]int{}}
	for i, pool := range cfg.Pools {
		p.pools[pool.Name] = i
	}
	for i, rec := range cfg.Records {
		p.indexRecord(i, rec)
	}
	return p
}

// globalRepeatable are the stanza lines that may be given more than once.
var globalRepeatable = []string{"check", "pool", "record"}

// global parses one line of the stanza's block.
func (p *parser) global() error {
	c := p.c
	opt := c.Val()
	switch opt {
	case "geoip":
		path, err := p.file("geoip", true)
		if err != nil {
			return err
		}
		// Opened now, so a corrupt file fails the start (or the reload) here.
		p.cfg.GeoIP = path
		if p.cfg.GeoDB, err = geoip.Open(path); err != nil {
			return p.errf("geoip: expected a MaxMind database: %v", err)
		}
		return nil
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
		zones, err := p.rest()
		if err != nil {
			return err
		}
		for _, z := range zones {
			if len(coreplugin.Host(z).NormalizeExact()) == 0 {
				return c.Errf("fallthrough: expected zone names, got %q", z)
			}
		}
		p.cfg.Fall.SetZonesFromArgs(zones)
		return nil
	case "check":
		return p.check()
	case "pool":
		return p.pool()
	case "record":
		return p.record()
	}
	return p.errf("unknown option %q: expected geoip, ttl, ecs, ecs_private, override, fallthrough, check, pool or record", opt)
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

// errf is c.Errf with the current block's name in front.
func (p *parser) errf(format string, args ...any) error {
	if p.what != "" {
		format = p.what + ": " + format
	}
	return p.c.Errf(format, args...)
}

// errAt is errf for a line other than the current one.
func (p *parser) errAt(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d - Error during parsing: %s", p.c.File(), line, fmt.Sprintf(format, args...))
}

// rest returns the remaining arguments of the current option's line. An
// option line opens no block, and a closing brace stands on a line of its
// own.
func (p *parser) rest() ([]string, error) {
	c := p.c
	opt := c.Val()
	args := c.RemainingArgs()
	if c.NextArg() { // RemainingArgs stops only before a '{' on the same line
		return nil, p.errf("%s: unexpected '{': expected no block after this option", opt)
	}
	return args, p.braces(opt, args)
}

// args returns exactly n arguments of the current option.
func (p *parser) args(n int) ([]string, error) {
	opt := p.c.Val()
	args, err := p.rest()
	if err != nil {
		return nil, err
	}
	if len(args) != n {
		return nil, p.errf("%s: expected %d argument(s), got %d", opt, n, len(args))
	}
	return args, nil
}

// braces rejects a brace among arguments: block lines stand on their own.
func (p *parser) braces(opt string, args []string) error {
	for _, a := range args {
		if a == "{" || a == "}" {
			return p.errf("%s: unexpected %q: expected arguments on this line and the brace on a line of its own", opt, a)
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
	return "", p.errf("%s: expected %s, got %q", opt, strings.Join(values, " or "), args[0])
}

// file reads a path argument, resolved against the server's root.
func (p *parser) file(opt string, mustExist bool) (string, error) {
	args, err := p.args(1)
	if err != nil {
		return "", err
	}
	path := p.resolve(args[0])
	if mustExist {
		return path, p.exists(opt, path)
	}
	return path, nil
}

// exists checks that path names a file, not a directory.
func (p *parser) exists(opt, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return p.errf("%s: expected an existing file: %v", opt, err)
	}
	if info.IsDir() {
		return p.errf("%s: expected a file, got the directory %s", opt, path)
	}
	return nil
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
		return 0, p.errf("%s: expected a whole number from %d to %d, got %q", opt, low, high, s)
	}
	return n, nil
}

// block reads the { } block that must open on the current line; see body.
func (p *parser) block(what string, repeatable []string, line func() error) error {
	c := p.c
	if !c.NextArg() || c.Val() != "{" {
		return c.Errf("%s: expected '{' at the end of the line to open its block", what)
	}
	outer := p.what
	p.what = what
	defer func() { p.what = outer }()
	return p.body(what, repeatable, line)
}

// body calls line for each line of a block whose '{' has just been read.
// Options not in repeatable may be given once. Blocks are read by hand
// because the dispenser's NextBlock would take the next stanza line as
// block content when a brace is missing, and would silently flatten a
// nested block.
func (p *parser) body(what string, repeatable []string, line func() error) error {
	c := p.c
	seen := map[string]int{}
	for c.Next() {
		opt := c.Val()
		switch opt {
		case "}":
			return nil
		case "{":
			return c.Errf("%s: unexpected '{': expected an option", what)
		}
		if first, dup := seen[opt]; dup {
			return c.Errf("%s: option %q given twice (first on line %d)", what, opt, first)
		}
		if !slices.Contains(repeatable, opt) {
			seen[opt] = c.Line()
		}
		if err := line(); err != nil {
			return err
		}
	}
	return c.Errf("%s: expected '}' to close the block, reached the end of the input", what)
}
