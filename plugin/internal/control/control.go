package control

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/internal/filewatch"
	"github.com/gslb/gslb/plugin/internal/metrics"
	"github.com/gslb/gslb/policy"
)

// Controller keeps one stanza's snapshot: it compiles a new one whenever a
// source changes, and publishes it whole.
type Controller struct {
	cfg          *config.Config
	zone         string // the label of its series
	probes       *probeIndex
	overrideFile *filewatch.Watcher
	snapshot     atomic.Pointer[Snapshot]

	mu        sync.Mutex // serialises compiles; never taken by queries
	lease     *healthcheck.Lease
	refresher *refresher // compiles after health changes; nil without a lease
	overrides *Overrides
	started   time.Time
	stopped   bool

	compiles atomic.Uint64 // snapshots compiled by refresh, for tests
}

// New compiles cfg with every member up. It starts nothing: probing and
// watching begin in Start.
func New(cfg *config.Config) (*Controller, error) {
	c := &Controller{cfg: cfg, zone: metrics.ZoneLabel(cfg), probes: newProbeIndex(cfg)}
	s, err := c.compile(nil)
	if err != nil {
		return nil, err
	}
	c.snapshot.Store(s)
	c.overrideFile = c.newOverrideFile()
	return c, nil
}

// Load returns the snapshot in service.
func (c *Controller) Load() *Snapshot { return c.snapshot.Load() }

// Start joins the registry's probers for the stanza's targets (a reload
// finds them running, with their state) and starts watching the override
// file every overridePoll. Call it once, in OnStartup.
func (c *Controller) Start(registry *healthcheck.Registry, overridePoll time.Duration) {
	var lease *healthcheck.Lease
	var r *refresher
	if len(c.probes.targets) > 0 {
		r = newRefresher() // changes before run starts wait in it
		lease = registry.Acquire(c.probes.targets, r.changed)
	}
	c.mu.Lock()
	c.started, c.lease, c.refresher = time.Now(), lease, r
	c.mu.Unlock()
	if r != nil {
		go r.run(c.Refresh)
	}
	c.Refresh()
	if c.overrideFile != nil {
		c.reportOverrides(c.overrideFile.Check())
		c.overrideFile.Start(overridePoll)
	}
}

// Stop releases the probers (those no other stanza uses stop) and the
// watcher, and waits for a compile in progress; none runs after it.
func (c *Controller) Stop() {
	c.mu.Lock() // waits for a compile in progress; none starts after this
	lease, r := c.lease, c.refresher
	c.lease, c.refresher, c.stopped = nil, nil, true
	c.mu.Unlock()
	if lease != nil {
		lease.Release() // no onChange after this
	}
	if r != nil {
		r.close() // outside mu: it may be waiting for mu, to find stopped
	}
	if c.overrideFile != nil {
		c.overrideFile.Stop()
	}
}

// Refresh compiles a snapshot from the sources as they are now and swaps
// it in.
func (c *Controller) Refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return
	}
	var sources []source
	if c.lease != nil {
		sources = append(sources, probes{c.probes, c.lease})
	}
	if c.overrides != nil {
		sources = append(sources, c.overrides)
	}
	s, err := c.compile(sources)
	if err != nil {
		log.Errorf("compiling answers: %v", err)
		return
	}
	s.Overrides = c.overrides
	old := c.snapshot.Swap(s)
	c.compiles.Add(1)
	c.observe(old, s)
}

// compile combines sources, in order, into the members' health and
// compiles the table from it.
func (c *Controller) compile(sources []source) (*Snapshot, error) {
	health := policy.NewHealth(c.cfg.Pools)
	for _, src := range sources {
		src.apply(health)
	}
	table, err := policy.Compile(c.cfg.Pools, c.cfg.Records, health)
	if err != nil {
		return nil, err
	}
	return &Snapshot{Table: table, Health: health}, nil
}
