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
}
