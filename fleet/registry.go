package fleet

import (
	"fmt"
	"sync"
	"time"
)

// DefaultGrace is how long a session outlives its last ballot. A reload
// starts the new configuration before it stops the old one, so the session
// (its registration, its lease) carries over without a gap, and the grace
// only covers a reload that fails half-way.
const DefaultGrace = 5 * time.Second

// Registry shares sessions between the stanzas of a process and across
// reloads.
type Registry struct {
	grace time.Duration

	mu       sync.Mutex
	sessions map[string]*Session // by Config.key
}

// Default is the process's registry.
var Default = NewRegistry(DefaultGrace)

// NewRegistry returns a registry whose sessions close grace after their
// last ballot leaves.
func NewRegistry(grace time.Duration) *Registry {
	return &Registry{grace: grace, sessions: map[string]*Session{}}
}

// Acquire joins the session of cfg, starting it if none runs, with a
// ballot for members (MemberKeys). onChange is called, cheaply and from
// any goroutine, when the fleet's verdicts may have changed: it must only
// note it. It never waits for the store.
func (r *Registry) Acquire(cfg Config, members []string, onChange func()) (*Ballot, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.sessions[cfg.key()]
	if s == nil {
		for _, other := range r.sessions {
			if other.cfg.identity() == cfg.identity() {
				return nil, fmt.Errorf("store: observer %q already joined %s with other options: stanzas sharing a store must give it the same store block (quorum aside)", cfg.Observer, cfg.Prefix)
			}
		}
		s = newSession(cfg)
		r.sessions[cfg.key()] = s
	}
	if s.closeTimer != nil {
		s.closeTimer.Stop()
		s.closeTimer = nil
	}
	s.refs++
	b := &Ballot{r: r, s: s, members: members, onChange: onChange}
	s.join(b)
	return b, nil
}

func (r *Registry) release(b *Ballot) {
	s := b.s
	s.leave(b)
	r.mu.Lock()
	defer r.mu.Unlock()
	if s.refs--; s.refs == 0 {
		s.closeTimer = time.AfterFunc(r.grace, func() { r.expire(s) })
	}
}

// expire closes s if no ballot re-joined it.
func (r *Registry) expire(s *Session) {
	r.mu.Lock()
	if s.refs > 0 || r.sessions[s.cfg.key()] != s {
		r.mu.Unlock()
		return
	}
	delete(r.sessions, s.cfg.key())
	r.mu.Unlock()
	s.close()
}

// CloseIdle closes at once the sessions no ballot holds, revoking their
// leases so the others stop counting this instance's votes now rather than
// a lease later. Call it when the process shuts down for good.
func (r *Registry) CloseIdle() {
	r.mu.Lock()
	var idle []*Session
	for key, s := range r.sessions {
		if s.refs == 0 {
			if s.closeTimer != nil {
				s.closeTimer.Stop()
			}
			delete(r.sessions, key)
			idle = append(idle, s)
		}
	}
	r.mu.Unlock()
	for _, s := range idle {
		s.close()
	}
}
