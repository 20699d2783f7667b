package leasing

import (
	"context"
	"iter"
	"sync"
	"sync/atomic"
	"time"
)

// state is a test entry's value: how often a worker ran for it.
type state struct {
	name string
	runs atomic.Int32
}

// fixture is a registry of test workers that wait for their stop (and
// then for lag, if set) and record which entries were forgotten, and with
// which others remaining.
type fixture struct {
	*Registry[string, state]
	lag       chan struct{} // set before the Acquire whose workers should lag
	mu        sync.Mutex
	forgotten map[string][]string // by name: the names of the entries left
}

func newFixture(grace time.Duration) *fixture {
	f := &fixture{forgotten: map[string][]string{}}
	run := func(ctx context.Context, e *Entry[string, state]) {
		e.Val.runs.Add(1)
		<-ctx.Done()
		if f.lag != nil {
			<-f.lag
		}
	}
	forget := func(gone *state, rest iter.Seq[*state]) {
		var names []string
		for s := range rest {
			names = append(names, s.name)
		}
		f.mu.Lock()
		f.forgotten[gone.name] = names
		f.mu.Unlock()
	}
	f.Registry = New(grace, run, forget)
	return f
}

// acquire holds keys, each entry's value named by its key.
func (f *fixture) acquire(onChange func(), keys ...string) (*Lease[string, state], []*Entry[string, state]) {
	return f.Acquire(keys, func(i int, s *state) { s.name = keys[i] }, onChange)
}

// forgot reports whether name's entry was forgotten, and with which others left.
func (f *fixture) forgot(name string) ([]string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rest, ok := f.forgotten[name]
	return rest, ok
}
