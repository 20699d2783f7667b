package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"
	coreplugin "github.com/coredns/coredns/plugin"
)

// Parse reads the one gslb stanza of a server block.
func Parse(c *caddy.Controller) (*Config, error) {
	var p *parser
	for c.Next() {
		if p != nil {
			if c.Val() != pluginName {
				return nil, c.Errf("unexpected %q after the gslb stanza: expected the end of the server block", c.Val())
			}
			return nil, ErrorAt(c.File(), c.Line(), coreplugin.ErrOnce)
		}
		args := c.RemainingArgs()
		for _, z := range args {
			if len(coreplugin.Host(z).NormalizeExact()) == 0 {
				return nil, c.Errf("gslb: expected zone names, got %q", z)
			}
		}
		zones := coreplugin.OriginsFromArgsOrServerBlock(args, c.ServerBlockKeys)
		if len(zones) == 0 {
			return nil, c.Err("gslb: expected zone names here or in the server block")
		}
		p = newParser(c, New(zones))
		if c.NextArg() { // RemainingArgs stops only before a '{' on the same line
			if err := p.body("gslb", globalRepeatable, p.global); err != nil {
				return nil, err
			}
		}
	}
	if p == nil {
		return nil, c.Err("expected a gslb stanza")
	}
	return p.finish()
}

// pluginName is the stanza's directive.
const pluginName = "gslb"

// parser reads one gslb stanza. References between blocks (a record naming
// a pool defined further down) are checked in finish, each with the file
// and line where the reference was written.
type parser struct {
	c     *caddy.Controller
	cfg   *Config
	root  string
	what  string // the block being read, prefixed to the generic helpers' errors
	later []func() error

	// Indexes of what cfg holds so far, so that duplicate and reference
	// checks take one lookup, not a scan of every earlier pool or record.
	pools   map[string]int // pool name → index in cfg.Pools
	records map[string]int // record name → index in cfg.Records
}

func newParser(c *caddy.Controller, cfg *Config) *parser {
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

// finish runs the deferred cross-block checks.
func (p *parser) finish() (*Config, error) {
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
			return ErrorAt(file, line, err)
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
	return ErrorAt(p.c.File(), line, fmt.Errorf(format, args...))
}
