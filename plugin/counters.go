package plugin

import (
	"sync"
	"sync/atomic"

	"github.com/gslb/gslb/policy"
)

// recordCells are a record's query-path counters, shared by every stanza
// that serves the record under the same zone label, so they keep counting
// across reloads as CoreDNS's own counters do.
type recordCells struct {
	queries, failovers atomic.Uint64
	refs               int         // stanzas holding the cells; under cells.mu
	answers            []*poolCell // by pool, in first-seen order; under cells.mu
}

// poolCell counts a record's answers from one pool.
type poolCell struct {
	pool string
	n    atomic.Uint64
}

type cellKey struct{ zone, record string }

// cells is the process-wide table of counter cells. It is touched when a
// stanza is set up and shut down, never on the query path.
var cells = struct {
	sync.Mutex
	m map[cellKey]*recordCells
}{m: map[cellKey]*recordCells{}}

// acquireCells returns the cells of rec under zone, creating what is
// missing, and puts in out the answer cell of each pool in pools. Called
// with cells.mu held.
func acquireCells(zone string, rec policy.Record, pools []string, out []*poolCell) *recordCells {
	key := cellKey{zone, rec.Names[0]}
	c := cells.m[key]
	if c == nil {
		c = &recordCells{}
		cells.m[key] = c
	}
	c.refs++
	for i, name := range pools {
		out[i] = c.pool(name)
	}
	return c
}

// pool returns the answer cell of a pool, added if new. Called with
// cells.mu held; records have a few pools, so a scan is enough.
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

// releaseCells drops a stanza's hold on its records' cells. Cells no
// stanza holds are forgotten: a record a reload removed stops being
// reported, and starts from zero if a later reload brings it back. A
// stanza that was set up but never started nor shut down (a reload that
// failed further on) keeps its cells: they stay, unreported.
func releaseCells(zone string, records []policy.Record) {
	cells.Lock()
	defer cells.Unlock()
	for _, rec := range records {
		key := cellKey{zone, rec.Names[0]}
		if c := cells.m[key]; c != nil {
			if c.refs--; c.refs <= 0 {
				delete(cells.m, key)
			}
		}
	}
}
