package healthcheck

import (
	"errors"
	"fmt"
	"math"
)

// errorWindow is the outcome of the last probes of a target, for `errors
// WINDOW [MIN_SUCCESS]`: a flaky or overloaded backend that fails some
// probes without failing fall in a row loses weight in proportion, and
// below the floor it is down. A zero window keeps nothing.
type errorWindow struct {
	failed     []bool // ring of the last len(failed) outcomes
	next, n    int    // next slot; outcomes held, up to len(failed)
	failures   int    // among the held
	minSuccess float64
}

func newErrorWindow(size int, minSuccess float64) errorWindow {
	if size <= 0 {
		return errorWindow{}
	}
	return errorWindow{failed: make([]bool, size), minSuccess: minSuccess}
}

func (w *errorWindow) add(failed bool) {
	if len(w.failed) == 0 {
		return
	}
	if w.n == len(w.failed) && w.failed[w.next] {
		w.failures--
	}
	w.failed[w.next] = failed
	if failed {
		w.failures++
	}
	w.next, w.n = (w.next+1)%len(w.failed), min(w.n+1, len(w.failed))
}

// success is the success ratio of the outcomes held; 1 with none.
func (w *errorWindow) success() float64 {
	if w.n == 0 {
		return 1
	}
	return 1 - float64(w.failures)/float64(w.n)
}

// factor is the success ratio in steps of 1/factorSteps, so one probe's
// outcome does not recompile the answers at every window size.
func (w *errorWindow) factor() float64 {
	return math.Max(minFactor, math.Round(w.success()*factorSteps)/factorSteps)
}

// belowFloor is the failure of a full window whose success ratio is below
// the floor; nil otherwise.
func (w *errorWindow) belowFloor() error {
	if w.minSuccess <= 0 || w.n < len(w.failed) || w.success() >= w.minSuccess {
		return nil
	}
	return &failure{reason: reasonErrors, err: fmt.Errorf("%.0f%% of the last %d probes succeeded, below %.0f%%",
		100*w.success(), w.n, 100*w.minSuccess)}
}

// agentState is what a backend last said of itself. As in HAProxy, each
// word holds until another replaces it: a weight until the next weight, a
// drain or a down until up or ready.
type agentState struct {
	weight      float64 // the last N%, 1 before any
	drain, down bool
	reason      string
	says        string // what a down is, in the log; "" for a backend's own word
}

// hear takes a Word; the failure it returns takes the target down at once.
func (a *agentState) hear(w Word) error {
	if w.Said {
		if w.Up {
			a.drain, a.down = false, false
		}
		if w.Weight >= 0 {
			a.weight = w.Weight
		}
		a.drain = a.drain || w.Drain
		a.down = a.down || w.Down
		a.reason = w.Reason
	}
	if !a.down {
		return nil
	}
	msg := "the backend says it is down"
	if a.says != "" {
		msg = a.says
	}
	if a.reason != "" {
		msg += ": " + a.reason
	}
	return &failure{reason: reasonAgent, err: errors.New(msg)}
}

// factor is the last N% while it is above 0 (0% drains instead).
func (a *agentState) factor() float64 {
	if a.weight <= 0 {
		return 1
	}
	return math.Max(minFactor, a.weight)
}

func (a *agentState) drained() bool { return a.drain || a.weight <= 0 }

// isHard tells the failures that take a target down at once, without
// waiting for fall in a row: the backend's own word, a success ratio below
// its floor.
func isHard(err error) bool {
	var f *failure
	return errors.As(err, &f) && (f.reason == reasonAgent || f.reason == reasonErrors)
}
