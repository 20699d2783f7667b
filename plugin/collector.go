package plugin

import (
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// collector makes the series per member, pool and record at scrape time
// from the stanzas in service: nothing is kept per series between scrapes.
type collector struct {
	mu       sync.Mutex
	live     []*stats // in the order they started: a reload's stanza last
	register sync.Once
}

var gslbCollector = &collector{}

func (c *collector) join(s *stats) {
	// Once per process, in the default registry that CoreDNS's prometheus
	// plugin serves, as promauto does for the vectors.
	c.register.Do(func() { prometheus.MustRegister(c) })
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Contains(c.live, s) {
		c.live = append(c.live, s)
	}
}

func (c *collector) leave(s *stats) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = slices.DeleteFunc(c.live, func(x *stats) bool { return x == s })
}

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{memberHealthyDesc, memberOverrideDesc, poolWeightDesc, queriesDesc, answersDesc, failoversDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. A reload starts the new stanza
// before it stops the old one: of the stanzas with the same zone label only
// the newest that has compiled a table is reported. Their counters are the
// same cells.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	live := slices.Clone(c.live)
	c.mu.Unlock()
	var zones []string // a few: one per stanza
	for _, s := range slices.Backward(live) {
		if v := s.view.Load(); v != nil && !slices.Contains(zones, s.zone) {
			zones = append(zones, s.zone)
			s.collect(ch, v)
		}
	}
}

// collect sends the series of one stanza, in one pass over its
// configuration.
func (s *stats) collect(ch chan<- prometheus.Metric, v *view) {
	gauge := func(d *prometheus.Desc, value float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, value, labels...)
	}
	counter := func(d *prometheus.Desc, value uint64, labels ...string) {
		if value > 0 { // as the vectors did: a series from the first count on
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(value), labels...)
		}
	}
	o := v.overrides
	anyMember := o != nil && len(o.drained)+len(o.force) > 0
	for _, pool := range s.cfg.Pools {
		effective := pool.Weight
		if w, ok := o.weight(pool.Name); ok {
			effective = w
		}
		gauge(poolWeightDesc, float64(pool.Weight), s.zone, pool.Name, "configured")
		gauge(poolWeightDesc, float64(effective), s.zone, pool.Name, "effective")
		for _, m := range pool.Members {
			addr, up := m.Addr.String(), 0.0
			if v.health.State(pool.Name, m).Up {
				up = 1
			}
			gauge(memberHealthyDesc, up, s.zone, pool.Name, addr)
			if anyMember {
				for _, name := range o.of(memberKey(pool.Name, m)) {
					gauge(memberOverrideDesc, 1, s.zone, pool.Name, addr, name)
				}
			}
		}
	}
	for i, rec := range s.cfg.Records {
		r, name := &s.records[i], rec.Names[0]
		counter(queriesDesc, r.cells.queries.Load(), s.zone, name)
		counter(failoversDesc, r.cells.failovers.Load(), s.zone, name)
		for _, p := range r.answers {
			counter(answersDesc, p.n.Load(), s.zone, name, p.pool)
		}
	}
}
