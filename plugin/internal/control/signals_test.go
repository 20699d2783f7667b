package control

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/internal/poll"
)

// A backend failing every other probe, never fall in a row, keeps serving
// at half its weight under errors 10; under errors 10 0.6 it is down, and
// stays down.
func TestErrorRateLowersTheWeight(t *testing.T) {
	for _, floor := range []float64{0, 0.6} {
		var n atomic.Int64 // a backend of its own: one prober's probes alternate
		backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if n.Add(1)%2 == 0 {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		}))
		defer backend.Close()
		cfg := twoPools()
		chk := healthcheck.NewCheck("web", healthcheck.HTTP)
		chk.Path, chk.Interval, chk.Timeout, chk.Fall = "/", 100*time.Millisecond, 90*time.Millisecond, 3
		chk.Rise = 1 // up from the first success, to be seen at half its weight
		if floor > 0 {
			chk.Rise = 2 // back only after two successes in a row: never, alternating
		}
		chk.ErrorWindow, chk.MinSuccess = 10, floor
		cfg.Checks = []healthcheck.Check{chk}
		cfg.Pools[1].Checks = []string{"web"}
		cfg.Pools[1].Members[0].Probe = strings.TrimPrefix(backend.URL, "http://")
		c := started(t, cfg)
		if floor == 0 {
			poll.Until(t, "us at half its weight", 20*time.Second, func() bool {
				st := c.Load().Health.At(1, 0)
				return st.Up && st.Factor == 0.5
			})
			continue
		}
		poll.Until(t, "us down below 60% success", 20*time.Second, func() bool {
			st := c.Load().Health.At(1, 0)
			return !st.Up && strings.Contains(st.Reason, "below 60%")
		})
		for range 20 { // alternating around the floor, never two successes in a row: no flap
			time.Sleep(50 * time.Millisecond)
			if st := c.Load().Health.At(1, 0); st.Up {
				t.Fatalf("us came back up at 50%% success under a 60%% floor: %+v", st)
			}
		}
	}
}
