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

// table is every vote a session knows of, its own included.
type table struct {
	observers map[string]registration    // live: registered in the store, and self
	votes     map[string]map[string]Vote // member → observer → vote
	overrides map[string]Stored          // zone → value
}

func newTable() *table {
	return &table{observers: map[string]registration{}, votes: map[string]map[string]Vote{}, overrides: map[string]Stored{}}
}

func (t *table) setVote(member, observer string, v Vote) {
	byObs := t.votes[member]
	if byObs == nil {
		byObs = map[string]Vote{}
		t.votes[member] = byObs
	}
	byObs[observer] = v
}

func (t *table) deleteVote(member, observer string) {
	if byObs := t.votes[member]; byObs != nil {
		delete(byObs, observer)
		if len(byObs) == 0 {
			delete(t.votes, member)
		}
	}
}

// view tallies the votes of the live observers, leaving out the isolated.
func (t *table) view(connected, usable bool) *View {
	names := make([]string, 0, len(t.observers))
	for name := range t.observers {
		names = append(names, name)
	}
	slices.Sort(names)
	isolated := t.isolated(names)
	v := &View{Connected: connected, Usable: usable, tallies: make(map[string]Tally, len(t.votes)), overrides: maps.Clone(t.overrides)}
	v.Observers = make([]Observer, len(names))
	for i, n := range names {
		v.Observers[i] = Observer{Name: n, Isolated: isolated[i]}
	}
	var ups []float64
	for member, byObs := range t.votes {
		var tally Tally
		ups = ups[:0]
		for i, name := range names {
			vote, ok := byObs[name]
			if !ok {
				continue
			}
			v.votes[vote.State]++
			v.Observers[i].Votes++
			if isolated[i] {
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
		v.tallies[member] = tally
	}
	return v
}

// isolated applies the isolation rule to each of names.
func (t *table) isolated(names []string) []bool {
	isolated := make([]bool, len(names))
	if len(names) < 3 {
		return isolated
	}
	shared, contradicted := make([]int, len(names)), make([]int, len(names))
	for _, byObs := range t.votes {
		for i, o := range names {
			vote, ok := byObs[o]
			if !ok || vote.State == Unknown {
				continue
			}
			others, alone, newer := 0, vote.State == Down, false
			for j, p := range names {
				w, ok := byObs[p]
				if j == i || !ok || w.State == Unknown {
					continue
				}
				others++
				alone = alone && w.State == Up
				newer = newer || vote.Since.After(w.Since)
			}
			if others < 2 {
				continue
			}
			shared[i]++
			if alone && newer {
				contradicted[i]++
			}
		}
	}
	for i := range names {
		isolated[i] = contradicted[i] >= isolationMin && contradicted[i]*isolationShare >= shared[i]
	}
	return isolated
}

// factor bounds a stored weight factor: a value written by hand or by
// another version must not zero an up member's weight or raise it.
func factor(f float64) float64 {
	if !(f > minFactor) { // NaN too
		return minFactor
	}
	return min(f, 1)
}

// minFactor is the lowest factor a healthy member is given, as the probes'.
const minFactor = 0.1

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
