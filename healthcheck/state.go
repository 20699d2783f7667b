package healthcheck

import (
	"math"
	"time"
)

// State is the health verdict of one target.
type State int

// The verdicts a target can have.
const (
	Unknown State = iota
	Up
	Down
)

func (s State) String() string {
	switch s {
	case Up:
		return "up"
	case Down:
		return "down"
	}
	return "unknown"
}

// Status is what a prober knows about its target.
type Status struct {
	State   State
	Factor  float64       // weight factor: 1 when fast, down to minFactor when slow
	Latency time.Duration // EWMA of successful probes' latency
	Err     string        // last failure reason, "" after a success
}

const (
	latencyWeight = 0.3 // EWMA weight of the newest sample: a few probes to follow a change
	minFactor     = 0.1 // a slow member keeps some traffic; only failures take it all away
	factorSteps   = 20  // factors move in steps of 1/20 so latency jitter does not recompile on every probe
)

// stateMachine turns probe results into a verdict with rise/fall hysteresis.
// A first-ever verdict also needs Rise successes or Fall failures in a row:
// one lucky or unlucky probe at startup does not decide, so a target stays
// Unknown until then and the caller decides what Unknown means.
type stateMachine struct {
	rise, fall int
	slow       time.Duration

	state     State
	successes int // consecutive
	failures  int // consecutive
	latency   time.Duration
	err       string
}

func newStateMachine(c Check) stateMachine {
	return stateMachine{rise: c.Rise, fall: c.Fall, slow: c.Slow}
}

// observe takes one probe result. Only successes feed the latency: a failed
// probe's duration (often the timeout) says nothing about serving speed.
func (m *stateMachine) observe(err error, latency time.Duration) {
	if err != nil {
		m.successes, m.failures, m.err = 0, m.failures+1, err.Error()
		if m.failures >= m.fall {
			m.state = Down
		}
		return
	}
	m.successes, m.failures, m.err = m.successes+1, 0, ""
	if m.latency == 0 {
		m.latency = latency
	} else {
		m.latency = time.Duration(latencyWeight*float64(latency) + (1-latencyWeight)*float64(m.latency))
	}
	if m.successes >= m.rise {
		m.state = Up
	}
}

func (m *stateMachine) status() Status {
	return Status{State: m.state, Factor: slowFactor(m.slow, m.latency), Latency: m.latency, Err: m.err}
}

// slowFactor is slow/latency in steps of 1/factorSteps, within [minFactor, 1]:
// twice as slow as allowed gets half the weight.
func slowFactor(slow, latency time.Duration) float64 {
	if slow <= 0 || latency <= slow {
		return 1
	}
	f := math.Round(float64(slow)/float64(latency)*factorSteps) / factorSteps
	return math.Min(1, math.Max(minFactor, f))
}
