package healthcheck

import "time"

// report hands a probe result of h and the word its probe read to its
// state machine, logs a state change, completes first rounds and tells the
// leases of h when its State, Factor or Drain changed, or, while its State
// is Unknown, whether its last probe failed.
func (r *Registry) report(h *held, err error, latency time.Duration, w Word) {
	e := &h.Val
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

	r.set.Report(h, changed)
}
