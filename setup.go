// Package gslb registers the gslb plugin with CoreDNS: it parses the
// Corefile stanza into a config value and wires the handler's lifecycle.
package gslb

import (
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
			return nil, coreplugin.ErrOnce
		}
		zones := coreplugin.OriginsFromArgsOrServerBlock(c.RemainingArgs(), c.ServerBlockKeys)
		p = newParser(c, gslbplugin.NewConfig(zones))
		for c.NextBlock() {
			if err := p.global(); err != nil {
				return nil, err
			}
		}
	}
	if p == nil {
		return nil, c.Err("expected a gslb stanza")
	}
	return p.finish()
}
