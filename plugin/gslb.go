package plugin

import (
	"sync"
	"sync/atomic"
	"time"

	coreplugin "github.com/coredns/coredns/plugin"
	clog "github.com/coredns/coredns/plugin/pkg/log"

	"github.com/gslb/gslb/geoip"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/internal/filewatch"
	"github.com/gslb/gslb/policy"
)

var log = clog.NewWithPlugin("gslb")

// maxStartupWait bounds how long readiness waits for the first probe round.
const maxStartupWait = 30 * time.Second

// GSLB is the handler of one gslb stanza.
type GSLB struct {
	Next coreplugin.Handler

	cfg      *Config
	zone     *zone
	health   *healthIndex
	registry *healthcheck.Registry
	table    atomic.Pointer[policy.Table]
	stats    *stats

	overrideFile *filewatch.Watcher
	overridePoll time.Duration

	mu        sync.Mutex // serialises recompiles; never taken by queries
	lease     *healthcheck.Lease
	refresher *refresher // compiles after health changes; nil without a lease
	overrides *overrides
	started   time.Time
	stopped   bool

	compiles atomic.Uint64 // tables compiled by refresh, for tests
}

// New compiles cfg into a handler with every member up. It starts nothing:
// probing begins in OnStartup.
func New(cfg *Config) (*GSLB, error) {
	table, err := policy.Compile(cfg.Pools, cfg.Records, policy.AllUp{})
	if err != nil {
		return nil, err
	}
	g := &GSLB{cfg: cfg, zone: newZone(cfg), health: newHealthIndex(cfg), registry: healthcheck.Default, stats: newStats(cfg)}
	g.table.Store(table)
	if cfg.Override != "" {
		g.overrideFile = filewatch.New(cfg.Override, g.loadOverrides, g.reportOverrides)
		g.overridePoll = defaultOverridePoll
	}
	return g, nil
}

// Name implements plugin.Handler.
func (g *GSLB) Name() string { return "gslb" }

// OnStartup joins the process-wide probers for this stanza's targets; a
// reload finds them running with their state and carries it over.
func (g *GSLB) OnStartup() error {
	var lease *healthcheck.Lease
	var refresher *refresher
	if len(g.health.targets) > 0 {
		refresher = newRefresher() // changes before run starts wait in it
		lease = g.registry.Acquire(g.health.targets, refresher.changed)
	}
	g.mu.Lock()
	g.started, g.lease, g.refresher = time.Now(), lease, refresher
	g.mu.Unlock()
	if refresher != nil {
		go refresher.run(g.refresh)
	}
	configLoads.WithLabelValues(g.cfg.Zones[0]).Inc()
	g.stats.join()
	g.refresh()
	if g.cfg.GeoDB != nil {
		g.cfg.GeoDB.Watch(geoip.DefaultPoll)
	}
	if g.overrideFile != nil {
		g.reportOverrides(g.overrideFile.Check())
		g.overrideFile.Start(g.overridePoll)
	}
	return nil
}

// OnShutdown releases the probers; those no other stanza uses stop.
func (g *GSLB) OnShutdown() error {
	g.mu.Lock() // waits for a compile in progress; none starts after this
	lease, refresher := g.lease, g.refresher
	g.lease, g.refresher, g.stopped = nil, nil, true
	g.mu.Unlock()
	g.stats.leave()
	if lease != nil {
		lease.Release() // no onChange after this
	}
	if refresher != nil {
		refresher.close() // outside mu: it may be waiting for mu, to find stopped
	}
	if g.cfg.GeoDB != nil {
		g.cfg.GeoDB.Stop()
	}
	if g.overrideFile != nil {
		g.overrideFile.Stop()
	}
	return nil
}

// refresh compiles a table from the current health and swaps it in.
func (g *GSLB) refresh() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return
	}
	var health policy.Health = policy.AllUp{}
	if g.lease != nil {
		health = g.health.snapshot(g.lease)
	}
	pools := g.cfg.Pools
	if g.overrides != nil {
		health = overriddenHealth{probes: health, o: g.overrides}
		pools = g.overrides.pools(pools)
	}
	table, err := policy.Compile(pools, g.cfg.Records, health)
	if err != nil {
		log.Errorf("compiling answers: %v", err)
		return
	}
	old := g.table.Swap(table)
	g.compiles.Add(1)
	g.observe(old, table, health)
}

// Ready implements the ready plugin's Readiness: true once the first probe
// round has finished or the startup wait is over, whatever the backends say.
func (g *GSLB) Ready() bool {
	g.mu.Lock()
	lease, started := g.lease, g.started
	g.mu.Unlock()
	if lease == nil {
		return !started.IsZero()
	}
	select {
	case <-lease.FirstRound():
		return true
	default:
		return time.Since(started) > g.startupWait()
	}
}

// startupWait is one probe interval plus a timeout, the longest a first
// round takes, bounded.
func (g *GSLB) startupWait() time.Duration {
	var wait time.Duration
	for _, c := range g.cfg.Checks {
		wait = max(wait, c.Interval+c.Timeout)
	}
	return min(wait, maxStartupWait)
}
