package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"
	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/miekg/dns"
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
		if err := inServerBlock(c, zones); err != nil {
			return nil, err
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
	defined map[string]int // "pool NAME", "check NAME" → the line that opens it

	soaMinimum  bool            // the soa block sets minimum
	discovering map[string]bool // pools that take members from a cluster
}

func newParser(c *caddy.Controller, cfg *Config) *parser {
	zones := cfg.Zones[:0]
	for _, z := range cfg.Zones {
		if z = strings.ToLower(z); !slices.Contains(zones, z) { // a zone given twice would give its records each name twice
			zones = append(zones, z)
		}
	}
	cfg.Zones = zones
	p := &parser{c: c, cfg: cfg, root: dnsserver.GetConfig(c).Root, pools: map[string]int{}, records: map[string]int{}, defined: map[string]int{}, discovering: map[string]bool{}}
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
	for i := range p.cfg.Records {
		p.flattenDiscovered(&p.cfg.Records[i])
	}
	if !p.soaMinimum {
		p.cfg.SOA.Minimum = min(p.cfg.TTL, MaxNegativeTTL)
	}
	p.unused()
	return p.cfg, nil
}

// unused warns of pools no record answers from and checks no pool runs:
// legal (a shared file may define more than one stanza uses), but often a
// name mistyped where it should have been used.
func (p *parser) unused() {
	usedPools, usedChecks := map[string]bool{}, map[string]bool{}
	for _, rec := range p.cfg.Records {
		for _, name := range rec.Pools {
			usedPools[name] = true
		}
		usedPools[rec.AllDownPool] = true
	}
	for _, pool := range p.cfg.Pools {
		if !usedPools[pool.Name] {
			p.warn(p.defined["pool "+pool.Name], "pool %q: no record answers from it", pool.Name)
		}
		for _, name := range pool.Checks {
			usedChecks[name] = true
		}
	}
	usedClusters := map[string]bool{}
	for _, d := range p.cfg.Discovery {
		usedClusters[d.Source.Cluster.Name] = true
	}
	for _, k := range p.cfg.Clusters {
		if !usedClusters[k.Name] {
			p.warn(k.Line, "kubernetes %s: no pool takes members from it", k.Name)
		}
	}
	for _, chk := range p.cfg.Checks {
		if !usedChecks[chk.Name] {
			p.warn(p.defined["check "+chk.Name], "check %q: no pool runs it", chk.Name)
		}
	}
}

// warn notes something the stanza should not say but that still runs.
func (p *parser) warn(line int, format string, args ...any) {
	p.cfg.Warnings = append(p.cfg.Warnings, WarningAt(p.c.File(), line, fmt.Errorf(format, args...)))
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

// inServerBlock refuses a stanza zone outside every zone of the server
// block: CoreDNS never routes its names to the block, and a typo there
// (gslb.exmaple.test) would leave the block's own zone without records.
func inServerBlock(c *caddy.Controller, zones []string) error {
	var block []string
	for _, key := range c.ServerBlockKeys {
		block = append(block, coreplugin.Host(key).NormalizeExact()...)
	}
	if len(block) == 0 {
		return nil // a test controller, with no server block
	}
	for _, z := range zones {
		if !overlap(block, z) {
			return c.Errf("gslb: zone %s is outside the server block's zones %s: expected one of them or a zone below one", z, strings.Join(block, " "))
		}
	}
	return nil
}

// overlap reports whether zone is one of zones, below one or above one:
// names of one can be names of the other.
func overlap(zones []string, zone string) bool {
	for _, z := range zones {
		if dns.IsSubDomain(z, zone) || dns.IsSubDomain(zone, z) {
			return true
		}
	}
	return false
}
