package metrics

import (
	"sync/atomic"

	"github.com/gslb/gslb/policy"
)

// recordCells are a record's query-path counters. Those of a stanza in
// service are shared by every stanza that serves the record under the same
// zone label, so they keep counting across reloads as CoreDNS's own
// counters do.
type recordCells struct {
	queries, failovers atomic.Uint64
	refs               int         // stanzas holding the cells; under Collector.mu
	answers            []*poolCell // by pool, in first-seen order; under Collector.mu
}

// poolCell counts a record's answers from one pool.
type poolCell struct {
	pool string
	n    atomic.Uint64
}

type cellKey struct{ zone, record string }

// pool returns the answer cell of a pool, added if new. Records have a few
// pools, so a scan is enough.
func (c *recordCells) pool(name string) *poolCell {
	for _, p := range c.answers {
		if p.pool == name {
			return p
		}
	}
	p := &poolCell{pool: name}
	c.answers = append(c.answers, p)
	return p
}

// acquire returns the shared cells of rec under zone, creating what is
// missing, and puts in out the answer cell of each pool in pools. Called
// with c.mu held.
func (c *Collector) acquire(zone string, rec policy.Record, pools []string, out []*poolCell) *recordCells {
	key := cellKey{zone, rec.Names[0]}
	rc := c.cells[key]
	if rc == nil {
		rc = &recordCells{}
		c.cells[key] = rc
	}
	rc.refs++
	for i, name := range pools {
		out[i] = rc.pool(name)
	}
	return rc
}

// release drops a stanza's hold on its records' cells. Cells no stanza
// holds are forgotten: a record a reload removed stops being reported, and
// starts from zero if a later reload brings it back. Called with c.mu held.
func (c *Collector) release(zone string, records []policy.Record) {
	for _, rec := range records {
		key := cellKey{zone, rec.Names[0]}
		if rc := c.cells[key]; rc != nil {
			if rc.refs--; rc.refs <= 0 {
				delete(c.cells, key)
			}
		}
	}
}
