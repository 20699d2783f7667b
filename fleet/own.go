package fleet

import "time"

// publish takes the votes at positions (of the ballot's members) that
// changed, keeping each vote's Since while its state holds. Only votes
// that changed are written.
func (s *Session) publish(b *Ballot, votes []Vote, positions []int) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	self, changed := s.cfg.Observer, false
	for _, i := range positions {
		v, member := votes[i], b.members[i]
		old, had := s.table.votes[member][self]
		if had && old.same(v) {
			continue
		}
		v.Since = now
		if had && old.State == v.State {
			v.Since = old.Since
		}
		s.table.setVote(member, self, v)
		if !s.superseded {
			s.dirty[member] = struct{}{}
		}
		changed = true
	}
	if changed {
		s.changed(b)
		s.wakeWriter()
	}
}

func (s *Session) wakeWriter() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// join adds a ballot's members to the own votes it publishes.
func (s *Session) join(b *Ballot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ballots[b] = struct{}{}
	for _, m := range b.members {
		s.owners[m]++
	}
}

// leave drops a ballot; own votes no other ballot publishes are deleted,
// unless the session was superseded: its successor publishes them now.
func (s *Session) leave(b *Ballot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ballots, b)
	for _, m := range b.members {
		if s.owners[m]--; s.owners[m] > 0 {
			continue
		}
		delete(s.owners, m)
		if _, had := s.table.votes[m][s.cfg.Observer]; had && !s.superseded {
			s.table.deleteVote(m, s.cfg.Observer)
			s.dirty[m] = struct{}{}
		}
	}
	s.changed(nil)
	s.wakeWriter()
}
