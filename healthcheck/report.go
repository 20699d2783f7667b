package healthcheck

import "time"

// report hands a probe result of e and the word its probe read to its
// state machine, logs a state change, completes first rounds and tells the
// leases of e when its State, Factor or Drain changed, or, while its State
// is Unknown, whether its last probe failed.
func (r *Registry) report(e *entry, err error, latency time.Duration, w Word) {
	before, after := e.observe(err, latency, w)
	if before.State != after.State {
		if after.Err != "" {
			log.Infof("%s is %s (was %s): %s", e.what, after.State, before.State, after.Err)
		} else {
			log.Infof("%s is %s (was %s)", e.what, after.State, before.State)
		}
	} else if before.Factor != after.Factor || before.Drain != after.Drain {
		log.Debugf("%s weight factor %.2f (slow %.2f, errors %.2f, agent %.2f, metric %.2f; latency %s), drain %t", e.what, after.Factor,
			after.Factors.Slow, after.Factors.Errors, after.Factors.Agent, after.Factors.Metric, after.Latency, after.Drain)
	}
	// Before the first verdict, readers judge a target by whether its last
	// probe failed, so that flipping is a change too.
	failedBefore, failedAfter := before.Err != "", after.Err != ""
	changed := before.State != after.State || before.Factor != after.Factor || before.Drain != after.Drain ||
		(after.State == Unknown && failedBefore != failedAfter)

	var notify []*Lease
	r.mu.Lock()
	if !e.probed {
		e.probed = true
		for l := range e.leases {
			l.pending--
			if l.pending == 0 {
				close(l.first)
			}
		}
	}
	if changed {
		for l := range e.leases {
			notify = append(notify, l)
		}
	}
	r.mu.Unlock()
	for _, l := range notify {
		l.notify()
	}
}
