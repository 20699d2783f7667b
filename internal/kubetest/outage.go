package kubetest

import (
	"testing"
	"time"
)

// Stop ends the API server, as an outage of the cluster's API: clients'
// connections are refused until Restart. Its etcd, and so its objects,
// stay.
func (c *Cluster) Stop() {
	if c.proc != nil {
		stop(c.proc, c.exited)
		c.proc = nil
	}
}

// Restart starts a stopped API server again, at its address, over its
// data, and waits until it is ready; it is stopped when t ends.
func (c *Cluster) Restart(t testing.TB) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		err := c.launch(t)
		// The port may linger a moment after the stop.
		if err == nil || !(attempt < 20 && portTaken(c.logPath())) {
			c.failed(t, err)
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
}
