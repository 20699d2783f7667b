package healthcheck

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// PromQuery is what a promql check asks Prometheus and how the answer weighs a
// member: hard limits take it down at once, a shed band lowers its weight
// linearly (NS1's shed-load watermarks). The query is templated per member
// by ForMember, so each member's target asks its own question.
type PromQuery struct {
	URL   string // the Prometheus base URL; the instant query API is URL/api/v1/query
	Query string // PromQL; {pool} and {member} are replaced by ForMember

	DownAbove, DownBelow Limit // down_above V, down_below V
	Shed                 Shed  // shed_above LOW HIGH or shed_below HIGH LOW
	Stale                time.Duration
}

// Limit is a hard limit; the zero Limit is none.
type Limit struct {
	On    bool
	Value float64
}

// Shed is the band in which the factor falls linearly from 1 at Full to
// minFactor at Empty. Full < Empty sheds as the value rises (latency, CPU),
// Full > Empty as it falls (success rate). Full == Empty is no band.
type Shed struct{ Full, Empty float64 }

// ForMember is c with {pool} and {member} of a promql query replaced by the
// pool's name and the member's address; other kinds are returned as they are.
func (c Check) ForMember(pool, member string) Check {
	if c.Kind == PromQL {
		c.PromQL.Query = strings.NewReplacer("{pool}", pool, "{member}", member).Replace(c.PromQL.Query)
	}
	return c
}

// staleAfter is how long a value is held when no new one comes: Stale, or
// three intervals, so one or two lost queries change nothing.
func (q PromQuery) staleAfter(interval time.Duration) time.Duration {
	if q.Stale > 0 {
		return q.Stale
	}
	return 3 * interval
}

// factor maps a value into the shed band: 1 on the good side of Full,
// minFactor past Empty, in steps of 1/factorSteps between so that a
// jittering metric does not recompile the answers at every query.
func (s Shed) factor(v float64) float64 {
	if s.Full == s.Empty {
		return 1
	}
	t := math.Min(1, math.Max(0, (v-s.Full)/(s.Empty-s.Full)))
	f := math.Round((1-(1-minFactor)*t)*factorSteps) / factorSteps
	return math.Max(minFactor, f)
}

// word is what a value says of the member: its factor, and down while a
// hard limit is crossed, with the value and the limit as the reason. Up is
// set otherwise, so that a limit no longer crossed lifts the down.
func (q PromQuery) word(v float64) Word {
	switch {
	case q.DownAbove.On && v > q.DownAbove.Value:
		return Word{Said: true, Weight: -1, Down: true, Reason: fmt.Sprintf("promql value %g above down_above %g", v, q.DownAbove.Value)}
	case q.DownBelow.On && v < q.DownBelow.Value:
		return Word{Said: true, Weight: -1, Down: true, Reason: fmt.Sprintf("promql value %g below down_below %g", v, q.DownBelow.Value)}
	}
	return Word{Said: true, Weight: q.Shed.factor(v), Up: true}
}

// neutralWord is the word of a stale signal: full weight, and up, so that
// a down from the last good value does not outlive it.
var neutralWord = Word{Said: true, Weight: 1, Up: true}
