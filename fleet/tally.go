package fleet

import (
	"maps"
	"slices"
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
