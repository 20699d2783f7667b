package fleet

import "time"

// reached counts the store as answering; called with mu held after a
// complete read of it.
func (s *Session) reached() {
	if s.fallback != nil {
		s.fallback.Stop()
		s.fallback = nil
	}
	s.lossLogged = false
	if !s.connected {
		s.connected = true
		s.metrics.connected.Set(1)
		if s.everSynced {
			log.Infof("store %s: reachable again; observer %q re-registered and republished, following the fleet's verdicts", s.cfg.Prefix, s.cfg.Observer)
		} else {
			log.Infof("store %s: joined as observer %q", s.cfg.Prefix, s.cfg.Observer)
		}
		s.everSynced = true
	}
	s.changed(nil)
}

// lost counts the store as unreachable after err. The last fleet verdict
// holds for a lease, about as long as the others keep counting this
// observer's votes; then every ballot falls back to its own verdicts.
// Logged once per loss.
func (s *Session) lost(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.connected && s.lossLogged {
		return
	}
	s.lossLogged = true
	if !s.connected {
		log.Warningf("store %s: unreachable: %v; answering by this instance's own verdicts until it answers", s.cfg.Prefix, err)
		return
	}
	s.connected, s.lostAt = false, time.Now()
	s.metrics.connected.Set(0)
	log.Warningf("store %s: lost: %v; keeping the fleet's last verdicts for %s, then this instance's own", s.cfg.Prefix, err, s.cfg.Lease)
	s.fallback = time.AfterFunc(s.cfg.Lease, s.holdEnded)
	s.changed(nil)
}

// holdEnded falls back to the instance's own verdicts.
func (s *Session) holdEnded() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.connected || s.fallback == nil {
		return
	}
	s.fallback = nil
	log.Warningf("store %s: still unreachable after a lease: answering by this instance's own verdicts", s.cfg.Prefix)
	s.changed(nil)
}

// report puts a new tally in the metrics, and logs observers becoming or
// ceasing to be isolated. Called with mu held.
func (s *Session) report(v *View) {
	m := &s.metrics
	m.observers.Set(float64(len(v.Observers)))
	m.fallback.Set(boolGauge(!v.Usable))
	for st := Unknown; st <= Down; st++ {
		m.votes.WithLabelValues(st.String()).Set(float64(v.Votes(st)))
	}
	live := make([]string, len(v.Observers))
	for i, o := range v.Observers {
		live[i] = o.Name
		m.isolated.WithLabelValues(o.Name).Set(boolGauge(o.Isolated))
	}
	for _, name := range s.live {
		if !contains(live, name) {
			m.isolated.DeleteLabelValues(name)
		}
	}
	s.live = live
	isolated := v.Isolated()
	for _, name := range isolated {
		if !contains(s.isolated, name) {
			log.Warningf("store %s: observer %q sees down much of what every other observer sees up: cut off, its votes are not counted", s.cfg.Prefix, name)
		}
	}
	for _, name := range s.isolated {
		if !contains(isolated, name) {
			log.Infof("store %s: observer %q agrees with the others again: its votes count", s.cfg.Prefix, name)
		}
	}
	s.isolated = isolated
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
