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
// reloads: one session per observer in a store.
type Registry struct {
	grace time.Duration

	mu       sync.Mutex
	sessions map[string]*Session   // by Config.identity
	retired  map[*Session]struct{} // superseded, closed when their last ballot leaves
}

// Default is the process's registry.
var Default = NewRegistry(DefaultGrace)

// NewRegistry returns a registry whose sessions close grace after their
// last ballot leaves.
func NewRegistry(grace time.Duration) *Registry {
	return &Registry{grace: grace, sessions: map[string]*Session{}, retired: map[*Session]struct{}{}}
}

// Acquire joins the session of cfg's observer, starting it if none runs,
// with a ballot for members (MemberKeys). load is the Corefile load the
// caller belongs to (comparable; nil when unknown): a session with other
// options for the same observer is refused within one load (two stanzas
// disagree on their store), and superseded by a later load (a reload that
// changed the store block takes over the observer's keys). onChange is
// called, cheaply and from any goroutine, when the fleet's verdicts may
// have changed: it must only note it. Acquire never waits for the store.
func (r *Registry) Acquire(cfg Config, load any, members []string, onChange func()) (*Ballot, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := cfg.identity()
	s := r.sessions[id]
	if s != nil && s.cfg.key() != cfg.key() {
		if load != nil && s.joinedBy(load) {
			return nil, fmt.Errorf("store: observer %q already joined %s with other options: stanzas sharing a store must give it the same store block (quorum aside)", cfg.Observer, cfg.Prefix)
		}
		s.supersede()
		delete(r.sessions, id)
		r.retired[s] = struct{}{}
		s = nil
	}
	if s == nil {
		s = newSession(cfg)
		r.sessions[id] = s
	}
	if s.closeTimer != nil {
		s.closeTimer.Stop()
		s.closeTimer = nil
	}
	s.refs++
	b := &Ballot{r: r, s: s, load: load, members: members, onChange: onChange}
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
	if s.refs > 0 || !r.drop(s) {
		r.mu.Unlock()
		return
	}
	r.mu.Unlock()
	s.close()
}

// drop takes s out of the registry, reporting whether it was in it.
// Called with mu held.
func (r *Registry) drop(s *Session) bool {
	if _, ok := r.retired[s]; ok {
		delete(r.retired, s)
		return true
	}
	id := s.cfg.identity()
	if r.sessions[id] != s {
		return false
	}
	delete(r.sessions, id)
	return true
}

// CloseIdle closes at once the sessions no ballot holds, revoking their
// leases so the others stop counting this instance's votes now rather than
// a lease later. Call it when the process shuts down for good.
func (r *Registry) CloseIdle() {
	r.mu.Lock()
	var idle []*Session
	for _, group := range []func(func(*Session)){r.eachSession, r.eachRetired} {
		group(func(s *Session) {
			if s.refs == 0 {
				idle = append(idle, s)
			}
		})
	}
	for _, s := range idle {
		if s.closeTimer != nil {
			s.closeTimer.Stop()
		}
		r.drop(s)
	}
	r.mu.Unlock()
	for _, s := range idle {
		s.close()
	}
}

func (r *Registry) eachSession(f func(*Session)) {
	for _, s := range r.sessions {
		f(s)
	}
}

func (r *Registry) eachRetired(f func(*Session)) {
	for s := range r.retired {
		f(s)
	}
}
