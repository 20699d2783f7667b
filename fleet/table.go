package fleet

import "maps"

// table is every vote a session knows of, its own included, and the
// tallies kept up to date from them: a change of one member's votes costs
// the work of that member, not of the fleet (see tally.go).
type table struct {
	observers map[string]registration    // live: registered in the store, and self
	votes     map[string]map[string]Vote // member → observer → vote
	overrides map[string]Stored          // zone → value

	tallier
}

func newTable() *table {
	t := &table{observers: map[string]registration{}, votes: map[string]map[string]Vote{}, overrides: map[string]Stored{}}
	t.tallier = newTallier()
	return t
}

func (t *table) setObserver(name string, reg registration) {
	if _, known := t.observers[name]; !known {
		t.everything = true
	}
	t.observers[name] = reg
}

func (t *table) deleteObserver(name string) {
	if _, known := t.observers[name]; known {
		delete(t.observers, name)
		t.everything = true
	}
}

func (t *table) setVote(member, observer string, v Vote) {
	byObs := t.votes[member]
	if byObs == nil {
		byObs = map[string]Vote{}
		t.votes[member] = byObs
	}
	byObs[observer] = v
	t.stale[member] = struct{}{}
}

func (t *table) deleteVote(member, observer string) {
	if byObs := t.votes[member]; byObs != nil {
		delete(byObs, observer)
		if len(byObs) == 0 {
			delete(t.votes, member)
		}
		t.stale[member] = struct{}{}
	}
}

// view brings the tallies up to date and returns them as an immutable View.
func (t *table) view(connected, usable bool) *View {
	t.update(t.observers, t.votes)
	v := &View{Connected: connected, Usable: usable, overrides: maps.Clone(t.overrides), votes: t.counts}
	v.tallies, v.recent = t.published()
	v.Observers = make([]Observer, len(t.names))
	for i, n := range t.names {
		v.Observers[i] = Observer{Name: n, Isolated: t.isolated[n], Votes: t.voted[n]}
	}
	return v
}
