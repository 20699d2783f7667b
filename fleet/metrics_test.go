package fleet

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/internal/poll"
)

// TestMetricsLint runs promlint over the store's series once each has
// one, and checks what a joined session reports.
func TestMetricsLint(t *testing.T) {
	etcd := startStore(t)
	a, b := join(t, etcd, "a"), join(t, etcd, "b")
	a.cast("uudd")
	b.cast("uuu?")
	waitTallies(t, "2/0 2/0 1/1 0/1 ", 10*time.Second, a, b)
	storeErrors.WithLabelValues(DefaultPrefix, "read").Add(0)
	poll.Until(t, "the votes reported", 5*time.Second, func() bool {
		a.ballot.View()
		return testutil.ToFloat64(storeVotes.WithLabelValues(DefaultPrefix, "down")) == 2
	})
	// Both observers report into one process's series here: the values
	// are the last one's; each is the same tally.
	for name, want := range map[prometheus.Collector]float64{
		storeConnected.WithLabelValues(DefaultPrefix): 1, storeFallback.WithLabelValues(DefaultPrefix): 0,
		storeObservers.WithLabelValues(DefaultPrefix): 2, storeVotes.WithLabelValues(DefaultPrefix, "unknown"): 1,
		storeVotes.WithLabelValues(DefaultPrefix, "up"): 5, storeIsolated.WithLabelValues(DefaultPrefix, "a"): 0,
	} {
		if got := testutil.ToFloat64(name); got != want {
			t.Errorf("%v: %v, want %v", name.(prometheus.Metric).Desc(), got, want)
		}
	}
	if testutil.ToFloat64(storeTransactions.WithLabelValues(DefaultPrefix)) == 0 || testutil.ToFloat64(storeWrites.WithLabelValues(DefaultPrefix, "put")) < 8 {
		t.Error("the votes' writes were not counted")
	}
	for _, c := range []prometheus.Collector{storeConnected, storeFallback, storeObservers, storeIsolated, storeVotes, storeTransactions, storeWrites, storeErrors} {
		if testutil.CollectAndCount(c) == 0 {
			t.Errorf("%T: no series, nothing linted", c)
		}
		problems, err := testutil.CollectAndLint(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", p.Metric, p.Text)
		}
	}
}
