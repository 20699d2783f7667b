package control

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/hostname"
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
	hosts        *hostIndex
	memberKeys   []string // the probed members' names in the store; nil without one
	overrideFile *filewatch.Watcher
	snapshot     atomic.Pointer[Snapshot]

	mu        sync.Mutex // serialises compiles; never taken by queries
	lease     *healthcheck.Lease
	hostLease *hostname.Lease // the host-name members' names; nil without any
	ballot    *fleet.Ballot   // nil without a store
	refresher *refresher      // compiles after health changes; nil with nothing to watch
	votes     []fleet.Vote    // the local verdicts, by probe index position: reused each compile
	shaper    *shaper         // bounds how fast soft signals move weights; slowstart
	again     *time.Timer     // the next compile while a member's weight is still moving
	overrides *Overrides      // from the override file
	store     storeOverrides
	started   time.Time
	stopped   bool

	compiles atomic.Uint64 // snapshots compiled by refresh, for tests
}

// New compiles cfg with every member up. It starts nothing: probing and
// watching begin in Start.
func New(cfg *config.Config) (*Controller, error) {
	c := &Controller{cfg: cfg, zone: metrics.ZoneLabel(cfg), probes: newProbeIndex(cfg), hosts: newHostIndex(cfg), shaper: newShaper(cfg)}
	c.votes = make([]fleet.Vote, len(c.probes.members))
	if cfg.Store != nil {
		c.memberKeys = memberKeys(cfg, c.zone, c.probes)
	}
	s, err := c.compile()
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
	var r *refresher
	if len(c.probes.targets) > 0 || c.cfg.Store != nil || len(c.hosts.names) > 0 {
		r = newRefresher() // changes before run starts wait in it
	}
	var ballot *fleet.Ballot
	if c.cfg.Store != nil {
		var err error
		if ballot, err = stores.Acquire(c.cfg.Store.Config, load, c.memberKeys, r.changed); err != nil {
			return err
		}
	}
	// Names first, so that the probes that dial what they resolve to find
	// them held; the first answers carry their addresses (a reload finds
	// them resolved).
	var hostLease *hostname.Lease
	if len(c.hosts.names) > 0 {
		hostLease = hostname.Default.Acquire(c.hosts.server, c.hosts.names, r.changed)
		waitFirstRound(hostLease.FirstRound(), firstResolveWait)
	}
	var lease *healthcheck.Lease
	if len(c.probes.targets) > 0 {
		lease = registry.Acquire(c.probes.targets, r.changed)
	}
	c.mu.Lock()
	c.started, c.lease, c.hostLease, c.ballot, c.refresher = time.Now(), lease, hostLease, ballot, r
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
	lease, hostLease, ballot, r := c.lease, c.hostLease, c.ballot, c.refresher
	c.lease, c.hostLease, c.ballot, c.refresher, c.stopped = nil, nil, nil, nil, true
	if c.again != nil {
		c.again.Stop()
	}
	c.mu.Unlock()
	if lease != nil {
		lease.Release() // no onChange after this
	}
	if hostLease != nil {
		hostLease.Release()
	}
	if ballot != nil {
		ballot.Release()
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
	s, err := c.compile()
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
// compiles the table from it: the local probes; the fleet's verdicts, which
// also learn the local ones; what host-name members resolve to (a name
// without addresses is down here, whatever the probes say); the shaping of
// soft changes (bounded steps, slowstart); the fleet's overrides, then the
// file's.
func (c *Controller) compile() (*Snapshot, error) {
	health := policy.NewHealth(c.cfg.Pools)
	s := &Snapshot{Health: health, Compiled: time.Now()}
	if c.lease != nil {
		c.probes.read(c.lease, health, c.votes)
	}
	if c.ballot != nil {
		s.Local = health.Clone()
		if c.lease != nil {
			c.ballot.Publish(c.votes)
		}
		view := c.ballot.View()
		fleetVerdicts{c.probes, c.memberKeys, view, c.cfg.Store.Quorum}.apply(health)
		c.loadStoreOverrides(view)
	}
	if len(c.hosts.members) > 0 {
		c.hosts.apply(c.hostLease, health)
	}
	c.compileAgain(c.shaper.apply(health, time.Now()))
	s.Overrides = merge(c.store.current, c.overrides)
	if s.Overrides != nil {
		s.Overrides.apply(health)
	}
	table, err := policy.Compile(c.cfg.Pools, c.cfg.Records, health)
	if err != nil {
		return nil, err
	}
	s.Table = table
	return s, nil
}
