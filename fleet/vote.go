package fleet

import (
	"encoding/json"
	"fmt"
	"time"
)

// State is an observer's verdict of a member.
type State uint8

// The verdicts. Unknown is an observer that has not decided yet (its
// first probes are running): it publishes so, and is not counted.
const (
	Unknown State = iota
	Up
	Down
)

var stateNames = [...]string{Unknown: "unknown", Up: "up", Down: "down"}

func (s State) String() string { return stateNames[s] }

// MarshalText writes the state as its name.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a state's name.
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if string(b) == n {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("unknown state %q: expected up, down or unknown", b)
}

// Vote is one observer's verdict of one member, as stored.
type Vote struct {
	State  State     `json:"state"`
	Factor float64   `json:"factor"`          // weight factor, 1 at full weight; 0 when down
	Since  time.Time `json:"since"`           // when State last changed
	Error  string    `json:"error,omitempty"` // the probe error that took it down
}

// same reports whether publishing v over w would tell the fleet nothing:
// a changed error text alone is not worth a write.
func (v Vote) same(w Vote) bool { return v.State == w.State && v.Factor == w.Factor }

func (v Vote) encode() string {
	b, _ := json.Marshal(v) // a Vote always encodes
	return string(b)
}

func decodeVote(b []byte) (Vote, error) {
	var v Vote
	err := json.Unmarshal(b, &v)
	return v, err
}

// registration is an observer's entry among the live observers.
type registration struct {
	Observer string    `json:"observer"`
	Started  time.Time `json:"started"`
}
