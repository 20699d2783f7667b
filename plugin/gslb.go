package plugin

import (
	"sync/atomic"

	coreplugin "github.com/coredns/coredns/plugin"

	"github.com/gslb/gslb/policy"
)

// GSLB is the handler of one gslb stanza.
type GSLB struct {
	Next coreplugin.Handler

	cfg   *Config
	zone  *zone
	table atomic.Pointer[policy.Table]
}

// New compiles cfg into a handler. It starts nothing: background work
// belongs to OnStartup.
func New(cfg *Config) (*GSLB, error) {
	table, err := policy.Compile(cfg.Pools, cfg.Records, policy.AllUp{})
	if err != nil {
		return nil, err
	}
	g := &GSLB{cfg: cfg, zone: newZone(cfg)}
	g.table.Store(table)
	return g, nil
}

// Name implements plugin.Handler.
func (g *GSLB) Name() string { return "gslb" }

// OnStartup starts the stanza's background work.
func (g *GSLB) OnStartup() error { return nil }

// OnShutdown stops what OnStartup started.
func (g *GSLB) OnShutdown() error { return nil }
