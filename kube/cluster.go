package kube

import (
	"errors"
	"net/http"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/gslb/gslb/internal/leasing"
)

// cluster is one API server's shared state: its clients, built when the
// entry is, and whether its API answers.
type cluster struct {
	name    string
	clients clients
	poke    chan struct{} // a watch failed: check the API now

	mu    sync.Mutex
	known bool // checked once at least
	up    bool
}

// clusterHeld is a cluster as the registry holds it: with its leases and
// its API check.
type clusterHeld = leasing.Entry[Cluster, cluster]

func (c *cluster) init(k Cluster, cl clients) {
	c.name, c.clients, c.poke = k.Name, cl, make(chan struct{}, 1)
}

// set records a check's result, sets the gauge and logs a change; it says
// whether reachability changed.
func (c *cluster) set(err error) bool {
	up := answers(err)
	c.mu.Lock()
	changed := !c.known || c.up != up
	wasKnown := c.known
	c.known, c.up = true, up
	c.mu.Unlock()
	if up {
		apiUp.WithLabelValues(c.name).Set(1)
	} else {
		apiUp.WithLabelValues(c.name).Set(0)
	}
	switch {
	case changed && !up:
		log.Warningf("kubernetes cluster %s: API unreachable: %v; keeping the last known members", c.name, err)
	case changed && wasKnown:
		log.Infof("kubernetes cluster %s: API reachable again", c.name)
	}
	return changed
}

// answers says whether a check's result means the API serves: ready, or
// declining to say (a cluster whose RBAC lets nobody read /readyz). An API
// that is not ready (500: its etcd is gone) or overloaded serves no watch.
func answers(err error) bool {
	var status apierrors.APIStatus
	if err == nil || !errors.As(err, &status) {
		return err == nil
	}
	code := status.Status().Code
	return code == http.StatusUnauthorized || code == http.StatusForbidden || code == http.StatusNotFound
}

// isUp says whether the last check found the API ready.
func (c *cluster) isUp() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.up
}

// checkNow asks the cluster's worker for a check, without waiting.
func (c *cluster) checkNow() {
	select {
	case c.poke <- struct{}{}:
	default:
	}
}
