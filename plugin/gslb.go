// Package plugin is the gslb DNS handler: it answers GSLB names from an
// immutable snapshot and passes every other name down the plugin chain.
package plugin

import (
	"time"

	coreplugin "github.com/coredns/coredns/plugin"
	clog "github.com/coredns/coredns/plugin/pkg/log"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/geoip"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/plugin/internal/control"
	"github.com/gslb/gslb/plugin/internal/metrics"
	"github.com/gslb/gslb/plugin/internal/status"
	"github.com/gslb/gslb/signer"
)

var log = clog.NewWithPlugin("gslb")

// GSLB is the handler of one gslb stanza.
type GSLB struct {
	Next coreplugin.Handler

	cfg     *config.Config
	zone    *zone
	geo     *geoip.DB // nil without a geoip line
	control *control.Controller
	stats   *metrics.Stanza

	// What OnStartup starts with: the process-wide probers and fleet
	// sessions, and the override file's poll; tests set their own.
	registry     *healthcheck.Registry
	stores       *fleet.Registry
	overridePoll time.Duration
	load         any // the Corefile load the stanza is part of; see SetLoad

	nextSOA *nextSOA // the next plugin's SOAs, under fallthrough
	// explainer answers the status API's explain queries: this handler
	// with counters of its own that no scrape reads, so an explain moves
	// no metric.
	explainer *GSLB
	signers   []*signer.Signer // one per signed zone; nil: nothing is signed
}

// New builds the handler of cfg, answering from geo when cfg routes by
// GeoIP, with every member up. It starts nothing and touches nothing
// outside the handler: probing, watching and metrics begin in OnStartup.
func New(cfg *config.Config, geo *geoip.DB) (*GSLB, error) {
	c, err := control.New(cfg)
	if err != nil {
		return nil, err
	}
	health := func() metrics.Health {
		s := c.Load()
		return metrics.Health{Pools: s.Pools, Names: s.Names, Effective: s.Health, Local: s.Local}
	}
	g := &GSLB{
		cfg: cfg, zone: newZone(cfg), geo: geo, control: c, stats: metrics.New(cfg, health), nextSOA: &nextSOA{},
		registry: healthcheck.Default, stores: fleet.Default, overridePoll: control.DefaultOverridePoll,
	}
	g.explainer = &GSLB{cfg: cfg, zone: g.zone, geo: geo, control: c, stats: metrics.New(cfg, health), nextSOA: g.nextSOA}
	return g, nil
}

// SetLoad names the Corefile load the stanza is part of (setup gives the
// caddy instance's context): two stanzas of one load that give one
// observer different store blocks fail the start, while a reload that
// changed the block takes the observer over from the load before it.
func (g *GSLB) SetLoad(load any) { g.load = load }

// Name implements plugin.Handler.
func (g *GSLB) Name() string { return "gslb" }

// OnStartup joins the process-wide probers for this stanza's targets and
// its fleet store (a reload finds them running with their state and
// carries it over), starts the watchers and puts the stanza's series in
// the scrapes.
func (g *GSLB) OnStartup() error {
	// First, before anything starts: a failed start is dropped without
	// OnShutdown.
	if err := g.control.CheckOverrides(); err != nil {
		return err
	}
	if err := g.control.Start(g.registry, g.stores, g.load, g.overridePoll); err != nil {
		return err
	}
	if st := g.cfg.Status; st != nil {
		if err := status.Default.Join(st.Addr, st.Token, g); err != nil {
			g.control.Stop()
			return err
		}
	}
	metrics.Process.Join(g.stats)
	metrics.ConfigLoads.WithLabelValues(g.stats.Zone()).Inc()
	g.watchNextSOA()
	if g.geo != nil {
		g.geo.Watch(geoip.DefaultPoll)
	}
	return nil
}

// OnShutdown releases the probers (those no other stanza uses stop), the
// watchers and the stanza's series.
func (g *GSLB) OnShutdown() error {
	if st := g.cfg.Status; st != nil {
		status.Default.Leave(st.Addr, g)
	}
	g.control.Stop()
	g.stopNextSOA()
	metrics.Process.Leave(g.stats)
	if g.geo != nil {
		g.geo.Stop()
	}
	return nil
}

// OnFinalShutdown leaves the fleet's store at once when the process stops
// for good: revoking the lease takes this instance's votes out of the
// others' tallies now, not a lease later. A reload keeps the session.
func (g *GSLB) OnFinalShutdown() error {
	g.stores.CloseIdle()
	return nil
}

// Ready implements the ready plugin's Readiness: true once the first probe
// round has finished or the startup wait is over, whatever the backends say.
func (g *GSLB) Ready() bool { return g.control.Ready() }
