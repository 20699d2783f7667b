package control

import "time"

// maxStartupWait bounds how long readiness waits for the first probe round.
const maxStartupWait = 30 * time.Second

// Ready is true once the first probe round has finished, the fleet's store
// has been read (when the stanza has one) and the watches of the pools'
// objects have synced (when it has discovery lines), or the startup wait is
// over, whatever the backends and the store say: an instance that cannot
// reach its store answers by its own verdicts.
func (c *Controller) Ready() bool {
	c.mu.Lock()
	lease, ballot, found, started := c.m.lease, c.m.ballot, c.found, c.started
	c.mu.Unlock()
	if started.IsZero() {
		return false
	}
	if (lease == nil || closed(lease.FirstRound())) && (ballot == nil || closed(ballot.Synced())) && (found == nil || closed(found.Synced())) {
		return true // the names resolved, or firstResolveWait passed, in Start
	}
	return time.Since(started) > c.startupWait()
}

// firstResolveWait bounds how long Start waits for the host-name members'
// first resolution: two queries of the resolver's timeout and a retry.
const firstResolveWait = 5 * time.Second

// waitFor waits until done is closed or d passes, and then warns: "late
// within d: meanwhile".
func waitFor(done <-chan struct{}, d time.Duration, late, meanwhile string) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		log.Warningf("%s within %s: %s", late, d, meanwhile)
	}
}

// firstSyncWait bounds how long Start waits for the watches of the pools'
// objects to sync, as CoreDNS's kubernetes plugin waits for its own: an
// API server that does not answer leaves the pools with their member lines
// until it does, and readiness says so until the startup wait is over.
const firstSyncWait = 5 * time.Second

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// startupWait is one probe interval plus a timeout, the longest a first
// round takes, or two store requests, bounded.
func (c *Controller) startupWait() time.Duration {
	var wait time.Duration
	for _, chk := range c.cfg.Checks {
		wait = max(wait, chk.Interval+chk.Timeout)
	}
	if c.cfg.Store != nil {
		wait = max(wait, c.cfg.Store.Timeout*2) // a connection and a read
	}
	return min(wait, maxStartupWait)
}
