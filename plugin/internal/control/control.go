package control

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/internal/filewatch"
	"github.com/gslb/gslb/kube"
	"github.com/gslb/gslb/plugin/internal/metrics"
	"github.com/gslb/gslb/policy"
)

// Controller keeps one stanza's snapshot: it compiles a new one whenever a
// source changes, and publishes it whole.
type Controller struct {
	cfg          *config.Config
	zone         string // the label of its series
	overrideFile *filewatch.Watcher
	snapshot     atomic.Pointer[Snapshot]

	mu        sync.Mutex  // serialises compiles; never taken by queries
	m         *members    // the members now, with their leases once started
	holders   holders     // where members take leases, from Start
	found     *kube.Lease // the watches of the pools' objects; nil without any
	refresher *refresher  // compiles after health changes; nil with nothing to watch
	shaper    *shaper     // bounds how fast soft signals move weights; slowstart
	again     *time.Timer // the next compile while a member's weight is still moving
	overrides *Overrides  // from the override file
	store     storeOverrides
	started   time.Time
	stopped   bool

	compiles atomic.Uint64 // snapshots compiled by refresh, for tests
}

// New compiles cfg with every member up. It starts nothing: probing and
// watching begin in Start.
func New(cfg *config.Config) (*Controller, error) {
	c := &Controller{cfg: cfg, zone: metrics.ZoneLabel(cfg), shaper: newShaper(cfg)}
	c.m = newMembers(cfg, c.zone, nil)
	s, _, err := c.compile()
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
// finds them running, with their state), the fleet's store when the stanza
// names one (a reload finds its session registered; load is the Corefile
// load the stanza is part of, see fleet.Registry.Acquire), and starts
// watching the override file every overridePoll. Call it once, in
// OnStartup; on an error nothing is started.
func (c *Controller) Start(registry *healthcheck.Registry, stores *fleet.Registry, load any, overridePoll time.Duration) error {
	var r *refresher // nil with nothing to watch: then nothing calls its changed
	if len(c.m.probes.targets) > 0 || c.cfg.Store != nil || len(c.m.hosts.names) > 0 || len(c.cfg.Discovery) > 0 {
		r = newRefresher() // changes before run starts wait in it
	}
	h := holders{probes: registry, stores: stores, load: load, onChange: r.changed}
	// The pools' objects first, so that the first answers have their
	// members (a reload finds the watches synced), then the members'
	// names, so that the probes that dial what they resolve to find them
	// held and the first answers carry their addresses.
	found, m, err := c.discover(r.changed)
	if err != nil {
		return err
	}
	if err := m.join(c.cfg, h); err != nil {
		if found != nil {
			found.Release()
		}
		return err
	}
	if m.hostLease != nil {
		waitFor(m.hostLease.FirstRound(), firstResolveWait, "host names of members not resolved", "their members are down until they are")
	}
	c.mu.Lock()
	c.started, c.m, c.holders, c.found, c.refresher = time.Now(), m, h, found, r
	c.shaper.remap(m.pools)
	c.mu.Unlock()
	if r != nil {
		go r.run(c.Refresh)
	}
	c.Refresh()
	if c.overrideFile != nil {
		c.reportOverrides(c.overrideFile.Check())
		c.overrideFile.Start(overridePoll)
	}
	return nil
}

// Stop releases the probers (those no other stanza uses stop), the ballot
// (its votes leave the store unless the next config publishes them) and
// the watcher, and waits for a compile in progress; none runs after it.
func (c *Controller) Stop() {
	c.mu.Lock() // waits for a compile in progress; none starts after this
	m, found, r := c.m, c.found, c.refresher
	c.found, c.refresher, c.stopped = nil, nil, true
	if c.again != nil {
		c.again.Stop()
	}
	c.mu.Unlock()
	m.release() // no onChange after this
	if found != nil {
		found.Release()
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
	s, retired, err := c.compile()
	if retired != nil {
		defer retired.release() // after mu: the members that replace them hold what they share
	}
	if err != nil {
		log.Errorf("compiling answers: %v", err)
		return
	}
	old := c.snapshot.Swap(s)
	c.compiles.Add(1)
	c.observe(old, s)
}

// compileAgain has the refresher compile again after d (none when d is 0),
// while a member's weight is still stepping or ramping. Called with mu
// held, or before Start.
func (c *Controller) compileAgain(d time.Duration) {
	if d <= 0 || c.refresher == nil || c.stopped {
		return
	}
	if c.again == nil {
		c.again = time.AfterFunc(d, c.refresher.changed)
		return
	}
	c.again.Reset(d)
}

// compile combines the sources, in order, into the members' health and
// compiles the table from it: the members the pools discovered now, with
// their leases (the members they replace are retired, for the caller to
// release once the snapshot is out); the local probes; the fleet's verdicts, which
// also learn the local ones; what host-name members resolve to (a name
// without addresses is down here, whatever the probes say); the discovered
// members whose object is not ready (held back); the shaping of
// soft changes (bounded steps, slowstart); the fleet's overrides, then the
// file's.
func (c *Controller) compile() (s *Snapshot, retired *members, err error) {
	retired = c.rediscover()
	m := c.m
	health := policy.NewHealth(m.pools)
	s = &Snapshot{Health: health, Compiled: time.Now(), Pools: m.pools, Names: m.names, From: m.from}
	if m.lease != nil {
		m.probes.read(m.lease, health, m.votes)
	}
	if m.ballot != nil {
		s.Local = health.Clone()
		if m.lease != nil {
			m.ballot.Publish(m.votes)
		}
		view := m.ballot.View()
		fleetVerdicts{m.probes, m.keys, view, c.cfg.Store.Quorum}.apply(health)
		c.loadStoreOverrides(view)
	}
	if len(m.hosts.members) > 0 {
		m.hosts.apply(m.hostLease, health)
	}
	m.holdBack(health)
	c.compileAgain(c.shaper.apply(health, time.Now()))
	s.Overrides = merge(c.store.current, c.overrides)
	if s.Overrides != nil {
		s.Overrides.apply(health)
	}
	table, err := policy.Compile(m.pools, c.cfg.Records, health)
	if err != nil {
		return nil, retired, err
	}
	s.Table = table
	return s, retired, nil
}
