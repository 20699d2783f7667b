package policy

import (
	"fmt"
	"strings"
)

// The signals a member's weight factor is the product of.
const (
	SignalSlow   = iota // probe latency above slow
	SignalErrors        // the success ratio of recent probes
	SignalAgent         // the backend's word: agent check, agent_header
	SignalMetric        // a promql check's value
	NumSignals
)

// SignalNames are the signals' names, in metrics and logs.
var SignalNames = [NumSignals]string{"slow", "errors", "agent", "metric"}

// Signals are a member's weight factors by signal, as its checks report
// them; 0 is a signal that lowers nothing (a factor of 1), so the zero
// value is a member no signal degrades.
type Signals [NumSignals]float64

// Factor returns signal i's factor, 1 when it lowers nothing.
func (s Signals) Factor(i int) float64 {
	if s[i] == 0 {
		return 1
	}
	return s[i]
}

// Set records factor f of signal i; 1 is stored as the zero value.
func (s *Signals) Set(i int, f float64) {
	if f >= 1 {
		s[i] = 0
		return
	}
	s[i] = f
}

// String names the signals below 1, for the debug log: "errors 0.50".
func (s Signals) String() string {
	var parts []string
	for i, f := range s {
		if f != 0 {
			parts = append(parts, fmt.Sprintf("%s %.2f", SignalNames[i], f))
		}
	}
	return strings.Join(parts, ", ")
}
