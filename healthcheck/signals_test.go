package healthcheck

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var errProbe = &failure{reason: reasonTimeout, err: errors.New("hung")}

// A flaky backend that never fails fall in a row loses weight in
// proportion to its failures over the window, and below the floor is down
// at once; as its probes pass again it comes back.
func TestErrorWindow(t *testing.T) {
	c := NewCheck("c", TCP)
	c.Rise, c.Fall, c.ErrorWindow, c.MinSuccess = 1, 3, 10, 0.7
	m := newStateMachine(c)
	for range 10 {
		m.observe(nil, time.Millisecond, Word{})
	}
	if s := m.status(); s.State != Up || s.Factors.Errors != 1 {
		t.Fatalf("after 10 successes: %+v", s)
	}
	for i := range 10 { // every other probe fails: never fall in a row
		var err error
		if i%2 == 0 {
			err = errProbe
		}
		m.observe(err, time.Millisecond, Word{})
		if s := m.status(); i == 3 && (s.State != Up || s.Factors.Errors != 0.8 || s.Factor != 0.8) {
			t.Fatalf("2 of the last 10 failed: %+v, want up at factor 0.8", s)
		}
	}
	s := m.status()
	if s.State != Down || !strings.Contains(s.Err, "50% of the last 10 probes succeeded, below 70%") {
		t.Fatalf("half of the last 10 failed: %+v, want down below the floor", s)
	}
	for range 4 {
		m.observe(nil, time.Millisecond, Word{})
	}
	if s := m.status(); s.State != Up || s.Factors.Errors != 0.7 {
		t.Fatalf("7 of the last 10 succeeded: %+v, want up at 0.7", s)
	}
}

func TestNoErrorWindow(t *testing.T) {
	m := newStateMachine(NewCheck("c", TCP))
	m.observe(nil, time.Millisecond, Word{})
	m.observe(errProbe, time.Millisecond, Word{})
	m.observe(nil, time.Millisecond, Word{})
	if s := m.status(); s.Factors.Errors != 1 || s.Factor != 1 {
		t.Errorf("without errors WINDOW a failure lowered the weight: %+v", s)
	}
}

// The backend's words hold until replaced, as HAProxy's agent check does.
func TestAgentWords(t *testing.T) {
	c := NewCheck("c", TCP)
	c.Rise, c.Fall = 2, 3
	m := newStateMachine(c)
	say := func(w Word) Status {
		w.Said = true
		m.observe(nil, time.Millisecond, w)
		return m.status()
	}
	say(Word{Weight: -1, Up: true})
	if s := say(Word{Weight: 0.75}); s.State != Up || s.Factors.Agent != 0.75 || s.Drain {
		t.Fatalf("75%%: %+v", s)
	}
	if s := say(Word{Weight: -1}); s.Factors.Agent != 0.75 {
		t.Fatalf("a reply without a weight kept %v, want 0.75 held", s.Factors.Agent)
	}
	if s := say(Word{Weight: -1, Drain: true}); !s.Drain || s.State != Up {
		t.Fatalf("drain: %+v", s)
	}
	if s := say(Word{Weight: -1, Down: true, Reason: "disk full"}); s.State != Down || !strings.Contains(s.Err, "disk full") {
		t.Fatalf("down: %+v, want down at once with the reason", s)
	}
	if s := say(Word{Weight: -1}); s.State != Down {
		t.Fatalf("a reply saying nothing lifted the down: %+v", s)
	}
	say(Word{Weight: -1, Up: true})
	if s := say(Word{Weight: -1}); s.State != Up || s.Drain {
		t.Fatalf("up, then rise successes: %+v, want up and undrained", s)
	}
	if s := say(Word{Weight: 0}); !s.Drain || s.Factor == 0 {
		t.Fatalf("0%%: %+v, want drained with a factor above 0", s)
	}
}
