package kube

import (
	"context"
	"time"
)

// checkAPI is a cluster's worker: it asks the API server whether it is
// ready every checkEvery, and at once when a watch fails, and tells the
// cluster's leases when the answer changes.
func (r *Registry) checkAPI(ctx context.Context, e *clusterHeld) {
	c := &e.Val
	tick := time.NewTicker(r.checkEvery)
	defer tick.Stop()
	for {
		err := c.ping(ctx, r.checkTimeout)
		if ctx.Err() != nil {
			return
		}
		r.clusters.Report(e, c.set(err))
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-c.poke:
		}
	}
}

// ping asks for /readyz, which every user may read (the role
// system:public-info-viewer), however little else it may.
func (c *cluster) ping(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, err := c.clients.typed.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
	return err
}
