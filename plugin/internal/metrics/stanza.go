package metrics

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/policy"
)

// Stanza is one stanza's series: the query-path counters, plain atomics
// indexed by record and by the record's pools, so that a query costs no
// label hash and queried names never make a series; and the health its
// gauges are made from.
//
// New touches nothing outside the value: the counters it makes count for
// nobody. Join, in OnStartup, swaps in the cells shared with the zone's
// earlier stanzas, before the stanza serves its first query.
type Stanza struct {
	zone    string
	cfg     *config.Config
	records []recordStats // by record index
	ecs     ecsCounters

	health func() Health
}

// Health is what the gauges of one scrape are made from: the snapshot in
// service's pools (their members come and go with discovery), its
// members' names as labels, by pool and member, and their health by
// position, with the local probes' verdicts beside it (nil without a
// store).
type Health struct {
	Pools            []policy.Pool
	Names            [][]string
	Effective, Local *policy.Health
}

// recordStats are one record's cells.
type recordStats struct {
	cells   *recordCells
	pools   []int       // configuration indexes of the pools it answers from
	answers []*poolCell // the answer cell of each of pools
}

// ecsCounters count the queries whose client subnet was used or ignored.
type ecsCounters struct{ used, ignored prometheus.Counter }

// New returns the series of a stanza, for cfg's first zone, with its
// gauges read from health: the snapshot in service at each scrape.
func New(cfg *config.Config, health func() Health) *Stanza {
	s := &Stanza{zone: ZoneLabel(cfg), cfg: cfg, records: make([]recordStats, len(cfg.Records)), health: health}
	s.ecs = ecsCounters{prometheus.NewCounter(prometheus.CounterOpts{Name: "unused"}), prometheus.NewCounter(prometheus.CounterOpts{Name: "unused"})}
	index := make(map[string]int, len(cfg.Pools))
	for i, p := range cfg.Pools {
		index[p.Name] = i
	}
	var n int
	for _, rec := range cfg.Records {
		n += len(answerPools(rec))
	}
	// One backing array each for every record's pools and cells.
	pools, answers := make([]int, 0, n), make([]*poolCell, n)
	for i, rec := range cfg.Records {
		start := len(pools)
		for _, name := range answerPools(rec) {
			pools = append(pools, index[name])
			answers[len(pools)-1] = &poolCell{pool: name}
		}
		r := &s.records[i]
		r.pools, r.answers = pools[start:len(pools):len(pools)], answers[start:len(pools):len(pools)]
		r.cells = &recordCells{}
	}
	return s
}

// ZoneLabel is the zone label of a stanza's series: its first zone. A
// stanza of several zones reports under one label.
func ZoneLabel(cfg *config.Config) string { return cfg.Zones[0] }

// answerPools names the pools a record may answer from: its own, then its
// on_all_down pool.
func answerPools(rec policy.Record) []string {
	if rec.OnAllDown != policy.FallbackPool || slices.Contains(rec.Pools, rec.AllDownPool) {
		return rec.Pools
	}
	return append(rec.Pools[:len(rec.Pools):len(rec.Pools)], rec.AllDownPool)
}

// Zone is the zone label of the stanza's series.
func (s *Stanza) Zone() string { return s.zone }

// Query counts a query for record rec.
func (s *Stanza) Query(rec int) { s.records[rec].cells.queries.Add(1) }

// Queries returns how many queries record rec has counted, as the scrape
// reports them.
func (s *Stanza) Queries(rec int) uint64 { return s.records[rec].cells.queries.Load() }

// Answer counts an answer of record rec from the pool at index pool (-1
// for an all-down answer that falls through or fails). It takes integers,
// not the policy.Answer, so the selection buffer the answer points into
// stays on the caller's stack.
func (s *Stanza) Answer(rec, pool int, failover bool) {
	r := &s.records[rec]
	for i, p := range r.pools {
		if p == pool {
			r.answers[i].n.Add(1)
			break
		}
	}
	if failover {
		r.cells.failovers.Add(1)
	}
}

// ECSUsed counts a query answered by its client subnet.
func (s *Stanza) ECSUsed() { s.ecs.used.Inc() }

// ECSIgnored counts a query whose client subnet was ignored: source 0, or
// private with ecs_private ignore.
func (s *Stanza) ECSIgnored() { s.ecs.ignored.Inc() }
