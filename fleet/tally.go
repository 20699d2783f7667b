package fleet

import (
	"fmt"
	"maps"
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

// tallier keeps the tallies and the isolation rule's counts up to date,
// member by member: each member's share of the counts is kept, taken back
// and added anew when its votes change. Only a change of the live
// observers, or of who is isolated, redoes every member.
type tallier struct {
	names      []string // live observers, sorted
	isolated   map[string]bool
	everything bool                // observers changed: redo every member
	stale      map[string]struct{} // members whose votes changed

	shares       map[string]share // by member, as last counted
	shared       map[string]int   // by observer: members it shares with two others
	contradicted map[string]int   // by observer: of those, seen down by it alone
	voted        map[string]int   // by observer: its votes
	counts       [3]int           // live observers' votes by state

	tallies map[string]Tally // by member: the current tallies, copied into base
	base    map[string]Tally // immutable, shared by views
	recent  map[string]Tally // changed since base; immutable once published
}

// share is one member's part in the counts.
type share struct {
	voters, shared, contradicted []string
	counts                       [3]int
}

func newTallier() tallier {
	return tallier{
		isolated: map[string]bool{}, stale: map[string]struct{}{}, shares: map[string]share{},
		shared: map[string]int{}, contradicted: map[string]int{}, voted: map[string]int{},
		tallies: map[string]Tally{}, base: map[string]Tally{}, recent: map[string]Tally{}, everything: true,
	}
}

// update recounts the stale members, and every member when the live
// observers or the isolated ones changed.
func (t *tallier) update(observers map[string]registration, votes map[string]map[string]Vote) {
	if t.everything {
		t.names = slices.Sorted(maps.Keys(observers))
		t.shares, t.shared, t.contradicted, t.voted, t.counts = map[string]share{}, map[string]int{}, map[string]int{}, map[string]int{}, [3]int{}
		for m, byObs := range votes {
			t.add(m, t.shareOf(byObs))
		}
	} else {
		for m := range t.stale {
			t.take(m)
			if byObs, ok := votes[m]; ok {
				t.add(m, t.shareOf(byObs))
			}
		}
	}
	isolated := t.isolation()
	redo := t.everything || !maps.Equal(isolated, t.isolated)
	t.isolated = isolated
	if redo {
		t.tallies = make(map[string]Tally, len(votes))
		for m, byObs := range votes {
			t.tallies[m] = t.tallyOf(byObs)
		}
		t.base, t.recent = t.tallies, map[string]Tally{}
		t.tallies = maps.Clone(t.base)
	} else if len(t.stale) > 0 {
		t.recent = maps.Clone(t.recent)
		for m := range t.stale {
			tally := t.tallyOf(votes[m]) // no votes: the zero Tally, no voters
			t.tallies[m], t.recent[m] = tally, tally
		}
		if len(t.recent) > len(t.base)/8 { // lookups stay one map or two, copies stay small
			t.base, t.recent = maps.Clone(t.tallies), map[string]Tally{}
		}
	}
	t.everything, t.stale = false, map[string]struct{}{}
}

// published is the tallies for a view: the base and what changed since.
func (t *tallier) published() (base, recent map[string]Tally) { return t.base, t.recent }

// add counts a member's share; take removes it.
func (t *tallier) add(m string, s share) {
	t.shares[m] = s
	t.apply(s, 1)
}

func (t *tallier) take(m string) {
	if s, ok := t.shares[m]; ok {
		t.apply(s, -1)
		delete(t.shares, m)
	}
}

func (t *tallier) apply(s share, sign int) {
	for _, o := range s.voters {
		t.voted[o] += sign
	}
	for _, o := range s.shared {
		t.shared[o] += sign
	}
	for _, o := range s.contradicted {
		t.contradicted[o] += sign
	}
	for i := range s.counts {
		t.counts[i] += sign * s.counts[i]
	}
}

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
