package kube

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gslb/gslb/internal/kubetest"
	"github.com/gslb/gslb/internal/poll"
)

// An API server that stops answering leaves the members as they were, with
// their readiness, and shows in the gauge and onChange; back, the gauge
// says so and the watches carry on.
func TestAPIOutage(t *testing.T) {
	t.Parallel()
	c := kubetest.Start(t)
	kubetest.Namespace(t, c.Client, "outage")
	kubetest.LBService(t, c.Client, "outage", "web", metav1.ObjectMeta{}, "192.0.2.80", "2001:db8::80")
	kubetest.Endpoints(t, c.Client, "outage", "web", true)
	r := newTestRegistry(time.Minute)
	change, calls := counter()
	outage := admin(c, "outage")
	l := acquire(t, r, change, Source{Cluster: outage, Kind: Service, Namespace: "outage", Name: "web"})
	members := []Found{up("service outage/web", "192.0.2.80"), up("service outage/web", "2001:db8::80")}
	waitFound(t, l, 0, members...)
	gauge := func() float64 { return testutil.ToFloat64(apiUp.WithLabelValues("outage")) }
	poll.Until(t, "API up", within, func() bool { return r.APIUp(outage) && gauge() == 1 })

	n := calls.Load()
	c.Stop()
	poll.Until(t, "API down", within, func() bool { return !r.APIUp(outage) && gauge() == 0 })
	if calls.Load() == n {
		t.Error("the loss of the API called no onChange")
	}
	stillWithin(t, "members changed while the API was down", time.Second, func() bool { return slices.Equal(l.Found(0), members) })

	c.Restart(t)
	poll.Until(t, "API up again", within, func() bool { return r.APIUp(outage) && gauge() == 1 })
	svc, err := c.Client.CoreV1().Services("outage").Get(context.Background(), "web", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kubetest.SetLBStatus(t, c.Client, svc.Namespace, svc.Name, "192.0.2.81")
	waitFound(t, l, 0, up("service outage/web", "192.0.2.81"))
	l.Release() // before the server's stop: that is no outage to log
}
