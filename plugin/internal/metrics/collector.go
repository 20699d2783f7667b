package metrics

import (
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector makes the series per member, pool and record at scrape time
// from the stanzas that joined it: nothing is kept per series between
// scrapes. It also holds the counter cells those stanzas share.
type Collector struct {
	mu    sync.Mutex
	live  []*Stanza // in the order they joined: a reload's stanza last
	cells map[cellKey]*recordCells

	// registerer takes the collector on the first Join; nil for one that
	// is registered by hand.
	registerer prometheus.Registerer
	register   sync.Once
}

// Process is the collector of the process, registered on the first Join in
// the default registry that CoreDNS's prometheus plugin serves.
var Process = &Collector{cells: map[cellKey]*recordCells{}, registerer: prometheus.DefaultRegisterer}

// NewCollector returns a collector of the given stanzas alone, as they
// count now, for a registry of one's own.
func NewCollector(stanzas ...*Stanza) *Collector {
	return &Collector{live: stanzas, cells: map[cellKey]*recordCells{}}
}

// HasCounters reports whether c holds counter cells for record under zone:
// a record no stanza in service has is forgotten.
func (c *Collector) HasCounters(zone, record string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.cells[cellKey{zone, record}]
	return ok
}

// Join puts s's series in c's scrapes and makes s count into the cells it
// shares with the zone's other stanzas. Call it in OnStartup, before s
// serves; a stanza joins one collector once.
func (c *Collector) Join(s *Stanza) {
	if c.registerer != nil {
		c.register.Do(func() { c.registerer.MustRegister(c) })
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if slices.Contains(c.live, s) {
		return
	}
	s.ecs = ecsCounters{ECSQueries.WithLabelValues(s.zone, "used"), ECSQueries.WithLabelValues(s.zone, "ignored")}
	for i, rec := range s.cfg.Records {
		r := &s.records[i]
		r.cells = c.acquire(s.zone, rec, answerPools(rec), r.answers)
	}
	c.live = append(c.live, s)
}

// Leave takes s's series out of the scrapes and lets go of its cells. It
// is idempotent, and a stanza that never joined has nothing to leave.
func (c *Collector) Leave(s *Stanza) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Contains(c.live, s) {
		return
	}
	c.live = slices.DeleteFunc(c.live, func(x *Stanza) bool { return x == s })
	c.release(s.zone, s.cfg.Records)
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{MemberHealthy, MemberLocalHealthy, MemberWeightFactor, MemberSignalFactor, MemberOverride, PoolWeight, Queries, Answers, Failovers} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. A reload starts the new stanza
// before it stops the old one: of the stanzas with the same zone label only
// the newest is reported. Their counters are the same cells.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	live := slices.Clone(c.live)
	c.mu.Unlock()
	var zones []string // a few: one per stanza
	for _, s := range slices.Backward(live) {
		if !slices.Contains(zones, s.zone) {
			zones = append(zones, s.zone)
			s.collect(ch, s.health())
		}
	}
}
