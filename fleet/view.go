package fleet

// View is the fleet's verdicts as one instance knows them at one moment:
// per member, the tally of the live observers' counted votes. Immutable; a
// session publishes a new one after each change.
type View struct {
	// Connected is true while the store answers.
	Connected bool
	// Usable is true while the tallies are to be followed: connected, or
	// lost for less than a lease (the last fleet verdict holds that long).
	// When false, each instance falls back to its own verdicts.
	Usable bool
	// Observers are the live observers, sorted by name.
	Observers []Observer

	tallies   map[string]Tally  // by MemberKey, as of a base tally
	recent    map[string]Tally  // changed since the base; looked up first
	overrides map[string]Stored // by zone
	votes     [3]int            // counted and uncounted votes of live observers, by State
}

// Observer is one live observer as the tally sees it.
type Observer struct {
	Name     string
	Isolated bool // sees down much of what all the others see up: its votes are not counted
	Votes    int
}

// Tally is what the counted observers say of one member.
type Tally struct {
	Up, Down int
	Factor   float64 // the median of the up voters' factors
	Reason   string  // who sees it down and why; empty when nobody does
}

// Voters is the number of counted votes.
func (t Tally) Voters() int { return t.Up + t.Down }

// Stored is a value an operator put in the store, with its revision.
type Stored struct {
	Value    []byte
	Revision int64 // the key's mod revision: a new value has a new one
}

// Tally returns the tally of member (a MemberKey); ok is false when no
// counted observer has voted on it.
func (v *View) Tally(member string) (t Tally, ok bool) {
	if v == nil {
		return Tally{}, false
	}
	if t, ok = v.recent[member]; !ok {
		t, ok = v.tallies[member]
	}
	return t, ok && t.Voters() > 0
}

// Overrides returns zone's fleet-wide overrides; ok is false when the key
// is absent.
func (v *View) Overrides(zone string) (s Stored, ok bool) {
	if v == nil {
		return Stored{}, false
	}
	s, ok = v.overrides[zone]
	return s, ok
}

// Votes is how many votes the live observers hold in state s.
func (v *View) Votes(s State) int { return v.votes[s] }

// Isolated lists the isolated observers.
func (v *View) Isolated() []string {
	var names []string
	for _, o := range v.Observers {
		if o.Isolated {
			names = append(names, o.Name)
		}
	}
	return names
}
