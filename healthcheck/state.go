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
	Factor  float64       // weight factor: the product of Factors, at least minFactor
	Factors Factors       // the factor of each signal
	Drain   bool          // the backend said drain (or 0%)
	Latency time.Duration // EWMA of successful probes' latency
	Err     string        // last failure reason, "" after a success
}

// Factors are a target's weight factors by signal, each in (0, 1], 1 when
// the signal lowers nothing.
type Factors struct {
	Slow   float64 // latency above the check's slow
	Errors float64 // the success ratio of the recent probes (errors WINDOW)
	Agent  float64 // the backend's word: N% (agent check, agent_header)
	Metric float64 // a promql check's value in its shed band
}

var fullFactors = Factors{Slow: 1, Errors: 1, Agent: 1, Metric: 1}

// product is the weight factor of all signals, within [minFactor, 1]: a
// slow, flaky or loaded member keeps some traffic while it is up.
func (f Factors) product() float64 {
	return math.Min(1, math.Max(minFactor, f.Slow*f.Errors*f.Agent*f.Metric))
}

const (
	latencyWeight = 0.3 // EWMA weight of the newest sample: a few probes to follow a change
	minFactor     = 0.1 // a slow member keeps some traffic; only failures take it all away
	factorSteps   = 20  // factors move in steps of 1/20 so latency jitter does not recompile on every probe
)

// stateMachine turns probe results into a verdict with rise/fall hysteresis.
// A first-ever verdict also needs Rise successes or Fall failures in a row:
// one lucky or unlucky probe at startup does not decide, so a target stays
// Unknown until then and the caller decides what Unknown means. Beside the
// verdict it keeps the signals that scale the weight: latency, the success
// ratio of recent probes, and the backend's own word.
type stateMachine struct {
	rise, fall int
	slow       time.Duration
	// hold is set for an agent check: as in HAProxy, an agent that cannot
	// be reached or read changes nothing; the member keeps its state and
	// the last word, and the failure only shows in Err.
	hold bool

	state     State
	successes int // consecutive
	failures  int // consecutive
	latency   time.Duration
	err       string

	recent errorWindow
	agent  agentState
	metric bool // a promql check: its words are a metric's, kept in Factors.Metric
}

func newStateMachine(c Check) stateMachine {
	m := stateMachine{rise: c.Rise, fall: c.Fall, slow: c.Slow, hold: c.Kind == Agent,
		recent: newErrorWindow(c.ErrorWindow, c.MinSuccess), agent: agentState{weight: 1}, metric: c.Kind == PromQL}
	if m.metric {
		m.agent.says = "the metric is past its limit"
	}
	return m
}

// observe takes one probe result and the word its probe read. Only
// successes feed the latency: a failed probe's duration (often the
// timeout) says nothing about serving speed. A backend that says it is
// down, and a success ratio below the floor, take the target down at once.
func (m *stateMachine) observe(err error, latency time.Duration, w Word) {
	if err != nil && m.hold {
		// Not a failure in a row, nor in the window: rise counts anew.
		m.successes, m.err = 0, err.Error()
		return
	}
	if err == nil {
		if down := m.agent.hear(w); down != nil {
			err = down
		}
	}
	m.recent.add(err != nil)
	if floor := m.recent.belowFloor(); floor != nil {
		err = floor // below the floor even a success counts as a failure: no rise until the ratio is back
	}
	if err != nil {
		m.successes, m.failures, m.err = 0, m.failures+1, err.Error()
		if m.failures >= m.fall || isHard(err) {
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
	f := Factors{Slow: slowFactor(m.slow, m.latency), Errors: m.recent.factor(), Agent: m.agent.factor(), Metric: 1}
	if m.metric { // one check speaks one way: the agent slot of a promql check is its metric
		f.Agent, f.Metric = 1, f.Agent
	}
	return Status{State: m.state, Factor: f.product(), Factors: f, Drain: m.agent.drained(), Latency: m.latency, Err: m.err}
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
