package control

import "time"

// maxStartupWait bounds how long readiness waits for the first probe round.
const maxStartupWait = 30 * time.Second

// Ready is true once the first probe round has finished or the startup
// wait is over, whatever the backends say.
func (c *Controller) Ready() bool {
	c.mu.Lock()
	lease, started := c.lease, c.started
	c.mu.Unlock()
	if lease == nil {
		return !started.IsZero()
	}
	select {
	case <-lease.FirstRound():
		return true
	default:
		return time.Since(started) > c.startupWait()
	}
}

// startupWait is one probe interval plus a timeout, the longest a first
// round takes, bounded.
func (c *Controller) startupWait() time.Duration {
	var wait time.Duration
	for _, chk := range c.cfg.Checks {
		wait = max(wait, chk.Interval+chk.Timeout)
	}
	return min(wait, maxStartupWait)
}
