package plugin

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gslb/gslb/policy"
)

// stats are a stanza's query-path counters, allocated when the stanza is
// set up: plain atomics, indexed by record and by the record's pools, so
// a query costs no label hash and queried names never make a series.
type stats struct {
	zone                string
	cfg                 *Config
	records             []recordStats // by record index
	ecsUsed, ecsIgnored prometheus.Counter

	view     atomic.Pointer[view] // what the last compile saw; nil before
	leaveOne sync.Once
}

// recordStats are one record's cells.
type recordStats struct {
	cells   *recordCells
	pools   []int       // configuration indexes of the pools it answers from
	answers []*poolCell // the answer cell of each of pools
}

// view is what the collector reports member and pool gauges from: the
// health and overrides of the table in service.
type view struct {
	health    policy.Health
	overrides *overrides
}

func newStats(cfg *Config) *stats {
	s := &stats{
		zone:       cfg.Zones[0],
		cfg:        cfg,
		records:    make([]recordStats, len(cfg.Records)),
		ecsUsed:    ecsQueries.WithLabelValues(cfg.Zones[0], "used"),
		ecsIgnored: ecsQueries.WithLabelValues(cfg.Zones[0], "ignored"),
	}
	index := make(map[string]int, len(cfg.Pools))
	for i, p := range cfg.Pools {
		index[p.Name] = i
	}
	// One backing array each for every record's pools and cells.
	var n int
	for _, rec := range cfg.Records {
		n += len(answerPools(rec))
	}
	pools, answers := make([]int, 0, n), make([]*poolCell, n)
	cells.Lock()
	defer cells.Unlock()
	for i, rec := range cfg.Records {
		names := answerPools(rec)
		start := len(pools)
		for _, name := range names {
			pools = append(pools, index[name])
		}
		r := &s.records[i]
		r.pools, r.answers = pools[start:len(pools):len(pools)], answers[start:len(pools):len(pools)]
		r.cells = acquireCells(s.zone, rec, names, r.answers)
	}
	return s
}

// answerPools names the pools a record may answer from: its own, then
// its on_all_down pool.
func answerPools(rec policy.Record) []string {
	if rec.OnAllDown != policy.FallbackPool || slices.Contains(rec.Pools, rec.AllDownPool) {
		return rec.Pools
	}
	return append(rec.Pools[:len(rec.Pools):len(rec.Pools)], rec.AllDownPool)
}

// query counts a query for record rec.
func (s *stats) query(rec int) { s.records[rec].cells.queries.Add(1) }

// count adds one answer of record rec from the pool at index pool (-1 for
// an all-down answer that falls through or fails). It takes integers, not
// the policy.Answer, so the selection buffer the answer points into stays
// on the caller's stack.
func (s *stats) count(rec, pool int, failover bool) {
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

// join puts the stanza's series in the scrapes, from its first compile on.
func (s *stats) join() { gslbCollector.join(s) }

// leave takes them out and lets go of the counter cells; it is idempotent.
func (s *stats) leave() {
	s.leaveOne.Do(func() {
		gslbCollector.leave(s)
		releaseCells(s.zone, s.cfg.Records)
	})
}
