package healthcheck

import "time"

// report hands a probe result of e to its state machine, logs a state
// change, completes first rounds and tells the leases of e when its State or
// Factor changed, or, while its State is Unknown, whether its last probe
// failed.
func (r *Registry) report(e *entry, err error, latency time.Duration) {
	before, after := e.observe(err, latency)
	if before.State != after.State {
		if after.Err != "" {
			log.Infof("%s is %s (was %s): %s", e.what, after.State, before.State, after.Err)
		} else {
			log.Infof("%s is %s (was %s)", e.what, after.State, before.State)
		}
	} else if before.Factor != after.Factor {
		log.Debugf("%s weight factor %.2f (latency %s)", e.what, after.Factor, after.Latency)
	}
	// Before the first verdict, readers judge a target by whether its last
	// probe failed, so that flipping is a change too.
	failedBefore, failedAfter := before.Err != "", after.Err != ""
	changed := before.State != after.State || before.Factor != after.Factor ||
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
