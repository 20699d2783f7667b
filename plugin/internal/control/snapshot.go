// Package control keeps a stanza's answers in step with the health of its
// members: it combines the health sources in one order into a health value
// by position, compiles it with the configuration into a table, and
// publishes both as one immutable Snapshot through one atomic pointer,
// which the query path and the metrics scrape read alike.
package control

import (
	"time"

	clog "github.com/coredns/coredns/plugin/pkg/log"

	"github.com/gslb/gslb/policy"
)

var log = clog.NewWithPlugin("gslb")

// Snapshot is what one compile produced: the table queries are answered
// from, the health it was compiled from (the metrics report the same), the
// local probes' verdicts beside it when a fleet store may overrule them,
// and the overrides that were in force. Immutable.
//
// The sources of health are applied in a fixed order, each over what the
// ones before it wrote: the local probes first, then the fleet's verdicts,
// the overrides last, since the operator's word beats every measurement.
type Snapshot struct {
	Compiled  time.Time
	Table     *policy.Table
	Health    *policy.Health
	Local     *policy.Health // nil without a store: Health is the local verdicts
	Overrides *Overrides     // nil when none were in force

	// Pools are the stanza's pools as compiled: the configured members,
	// then those discovered in clusters. Names are their members' names,
	// and From the object each discovered member was found in ("" for a
	// member line; nil without discovery), by position.
	Pools []policy.Pool
	Names [][]string
	From  [][]string
}

// Origin is the object member mi of pool pi was found in, "" for a member line.
func (s *Snapshot) Origin(pi, mi int) string {
	if s.From == nil || mi >= len(s.From[pi]) {
		return ""
	}
	return s.From[pi][mi]
}
