package fleet

import (
	"context"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Session is one observer's membership of one store: a connection, a lease
// kept alive, its registration, its own votes, and everyone's as last
// read. Stanzas that name the same store share it, across reloads, through
// a Registry.
type Session struct {
	cfg     Config
	keys    keys
	started time.Time
	metrics sessionMetrics

	mu         sync.Mutex
	table      *table
	owners     map[string]int      // own votes by member: how many ballots publish it
	dirty      map[string]struct{} // own votes to write (put, or delete when unowned)
	ballots    map[*Ballot]struct{}
	view       *View // nil when a change has not been tallied yet
	client     *clientv3.Client
	lease      clientv3.LeaseID // 0: none granted, or lost
	connected  bool
	everSynced bool
	lostAt     time.Time   // when the store was found lost; zero before any loss
	fallback   *time.Timer // ends the last fleet verdict's hold after a loss
	isolated   []string    // as last logged
	live       []string    // observers as last reported
	lossLogged bool        // the current loss of the store was logged
	closeTimer *time.Timer // closes the session when no ballot re-joins
	refs       int         // ballots; guarded by the Registry's mu, as closeTimer
	superseded bool        // a later load's session took over its keys: it writes nothing

	synced chan struct{} // closed after the first read of the store
	wake   chan struct{} // capacity 1: own votes to write
	ctx    context.Context
	stop   context.CancelFunc
	done   sync.WaitGroup
}

func newSession(cfg Config) *Session {
	s := &Session{
		cfg: cfg, keys: keys{cfg.Prefix}, started: time.Now(), metrics: newSessionMetrics(cfg.Prefix),
		table: newTable(), owners: map[string]int{}, dirty: map[string]struct{}{}, ballots: map[*Ballot]struct{}{},
		synced: make(chan struct{}), wake: make(chan struct{}, 1),
	}
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.table.setObserver(cfg.Observer, registration{Observer: cfg.Observer, Started: s.started})
	s.metrics.connected.Set(0)
	s.done.Add(2)
	go s.run()
	go s.write()
	return s
}

// View returns the fleet's verdicts as known now, tallying them first
// after a change. It never waits for the store.
func (s *Session) View() *View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.currentView()
}

func (s *Session) currentView() *View {
	usable := s.connected || (!s.lostAt.IsZero() && time.Since(s.lostAt) < s.cfg.Lease)
	if s.view == nil || s.view.Usable != usable {
		s.view = s.table.view(s.connected, usable)
		s.report(s.view)
	}
	return s.view
}

// changed marks the tally stale and tells every ballot but except (nil:
// all) to compile again. Called with mu held: onChange only marks.
func (s *Session) changed(except *Ballot) {
	s.view = nil
	for b := range s.ballots {
		if b != except {
			b.onChange()
		}
	}
}

// joinedBy reports whether a ballot of load holds the session.
func (s *Session) joinedBy(load any) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for b := range s.ballots {
		if b.load == load {
			return true
		}
	}
	return false
}

// supersede hands the observer's keys over to a session with new options:
// this one writes, deletes and revokes nothing from now on, so what its
// successor writes under its own lease stays, and its ballots keep reading
// its view until their configuration stops.
func (s *Session) supersede() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.superseded = true
	s.dirty = map[string]struct{}{}
}

// close stops the session, revokes its lease (its registration and votes
// vanish for the others at once; a superseded session's expires, its keys
// taken over) and closes the connection.
func (s *Session) close() {
	s.stop()
	s.done.Wait()
	s.mu.Lock()
	cli, lease := s.client, s.lease
	if s.superseded {
		lease = 0
	}
	if s.fallback != nil {
		s.fallback.Stop()
	}
	s.mu.Unlock()
	if cli != nil {
		if lease != 0 {
			ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
			cli.Revoke(ctx, lease)
			cancel()
		}
		cli.Close()
	}
	s.metrics.forget()
}
