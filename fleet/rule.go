package fleet

import (
	"fmt"
	"slices"
)

// The isolation rule: an observer is cut off when, among the members it
// shares with at least two other counted observers, it alone sees down
// at least isolationMin of them and at least 1/isolationShare of them,
// each down vote newer than the up vote of one of the others at least.
// The last condition tells a cut-off observer from a slow one: after a
// site's recovery, an observer still waiting for its rise count sees down
// what the others see up, but its down vote is older than all their up
// votes. One of them restarting (its up votes new) does not clear a cut.
const (
	isolationMin   = 2
	isolationShare = 4
)

// shareOf is a member's part in the counts, from its live observers' votes.
func (t *tallier) shareOf(byObs map[string]Vote) share {
	var s share
	for _, o := range t.names {
		vote, ok := byObs[o]
		if !ok {
			continue
		}
		s.voters = append(s.voters, o)
		s.counts[vote.State]++
		if vote.State == Unknown {
			continue
		}
		others, alone, newer := 0, vote.State == Down, false
		for _, p := range t.names {
			w, ok := byObs[p]
			if p == o || !ok || w.State == Unknown {
				continue
			}
			others++
			alone = alone && w.State == Up
			newer = newer || vote.Since.After(w.Since)
		}
		if others < 2 {
			continue
		}
		s.shared = append(s.shared, o)
		if alone && newer {
			s.contradicted = append(s.contradicted, o)
		}
	}
	return s
}

// isolation applies the rule to the counts.
func (t *tallier) isolation() map[string]bool {
	isolated := map[string]bool{}
	if len(t.names) < 3 {
		return isolated
	}
	for _, o := range t.names {
		if c := t.contradicted[o]; c >= isolationMin && c*isolationShare >= t.shared[o] {
			isolated[o] = true
		}
	}
	return isolated
}

// tallyOf counts a member's votes of live, unisolated observers.
func (t *tallier) tallyOf(byObs map[string]Vote) Tally {
	var tally Tally
	var ups []float64
	for _, name := range t.names {
		vote, ok := byObs[name]
		if !ok || t.isolated[name] {
			continue
		}
		switch vote.State {
		case Up:
			tally.Up++
			ups = append(ups, factor(vote.Factor))
		case Down:
			if tally.Down++; tally.Reason == "" {
				tally.Reason = name + ": " + vote.Error
			}
		}
	}
	if tally.Down > 0 {
		tally.Reason = fmt.Sprintf("down for %d of %d observers (%s)", tally.Down, tally.Voters(), tally.Reason)
	}
	tally.Factor = median(ups)
	return tally
}

// minFactor is the lowest factor a healthy member is given, as the probes'.
const minFactor = 0.1

// factor bounds a stored weight factor: a value written by hand or by
// another version must not zero an up member's weight or raise it.
func factor(f float64) float64 {
	if !(f > minFactor) { // NaN too
		return minFactor
	}
	return min(f, 1)
}

// median of factors, sorting them; 1 when there are none.
func median(f []float64) float64 {
	if len(f) == 0 {
		return 1
	}
	slices.Sort(f)
	n := len(f)
	if n%2 == 1 {
		return f[n/2]
	}
	return (f[n/2-1] + f[n/2]) / 2
}
