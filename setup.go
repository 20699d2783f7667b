// Package gslb registers the gslb plugin with CoreDNS: it parses the
// Corefile stanza into a config value and wires the handler's lifecycle.
package gslb

import (
	"fmt"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"
	coreplugin "github.com/coredns/coredns/plugin"

	gslbplugin "github.com/gslb/gslb/plugin"
)

const pluginName = "gslb"

func init() { coreplugin.Register(pluginName, setup) }

// setup builds the handler and nothing else: probers and watchers start in
// OnStartup, so a failed or replaced config leaks no goroutine.
func setup(c *caddy.Controller) error {
	cfg, err := parse(c)
	if err != nil {
		return coreplugin.Error(pluginName, err)
	}
	g, err := gslbplugin.New(cfg)
	if err != nil {
		return coreplugin.Error(pluginName, err)
	}
	c.OnStartup(g.OnStartup)
	c.OnShutdown(g.OnShutdown)

	dnsserver.GetConfig(c).AddPlugin(func(next coreplugin.Handler) coreplugin.Handler {
		g.Next = next
		return g
	})
	return nil
}

// parse reads the one gslb stanza of a server block.
func parse(c *caddy.Controller) (*gslbplugin.Config, error) {
	var p *parser
	for c.Next() {
		if p != nil {
			if c.Val() != pluginName {
				return nil, c.Errf("unexpected %q after the gslb stanza: expected the end of the server block", c.Val())
			}
			return nil, fmt.Errorf("%s:%d - Error during parsing: %w", c.File(), c.Line(), coreplugin.ErrOnce)
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
		p = newParser(c, gslbplugin.NewConfig(zones))
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
