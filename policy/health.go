package policy

// State is the health of one member as the prober sees it.
type State struct {
	Up bool
	// Factor scales the member's weight: 1 for a healthy member, less for
	// a slow one, never 0 while Up.
	Factor float64
	// Drained members get no traffic unless nothing undrained is up.
	Drained bool
}

// Health tells Compile the state of every member. It is read only while a
// table is compiled, never on the query path.
type Health interface {
	State(pool string, member Member) State
}

// AllUp is the health of a configuration without checks: every member up.
type AllUp struct{}

// State implements Health.
func (AllUp) State(string, Member) State { return State{Up: true, Factor: 1} }
