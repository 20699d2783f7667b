package healthcheck

import (
	"net"
	"sync/atomic"
	"testing"
	"time"
)

func TestFirstDelay(t *testing.T) {
	for _, interval := range []time.Duration{100 * time.Millisecond, 5 * time.Second} {
		bound := min(interval, time.Second)
		var lo, hi time.Duration = bound, 0
		for range 1000 {
			d := firstDelay(interval)
			if d < 0 || d >= bound {
				t.Fatalf("interval %s: first delay %s, want in [0, %s)", interval, d, bound)
			}
			lo, hi = min(lo, d), max(hi, d)
		}
		if hi-lo < bound/2 {
			t.Errorf("interval %s: first delays within [%s, %s], want them spread over [0, %s)", interval, lo, hi, bound)
		}
	}
}

func TestNextDelay(t *testing.T) {
	interval := time.Second
	var lo, hi time.Duration = time.Hour, 0
	for range 1000 {
		d := nextDelay(interval, 0)
		if d < 900*time.Millisecond || d > 1100*time.Millisecond {
			t.Fatalf("next delay %s, want within 10%% of %s", d, interval)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	if hi-lo < 100*time.Millisecond {
		t.Errorf("next delays within [%s, %s], want jitter", lo, hi)
	}
	if d := nextDelay(interval, 300*time.Millisecond); d < 600*time.Millisecond || d > 800*time.Millisecond {
		t.Errorf("after a 300ms probe: next delay %s, want the interval counted from the probe's start", d)
	}
	if d := nextDelay(interval, 2*time.Second); d != 0 {
		t.Errorf("after a probe longer than the interval: next delay %s, want 0", d)
	}
}

func TestOnGrid(t *testing.T) {
	for _, d := range []time.Duration{0, time.Millisecond, 5 * time.Second, 4*time.Second + 999*time.Microsecond} {
		before := time.Since(gridEpoch)
		got := onGrid(d)
		after := time.Since(gridEpoch)
		if got < d || got >= d+wakeGrid {
			t.Errorf("onGrid(%s) = %s, want within [%s, %s)", d, got, d, d+wakeGrid)
		}
		// The end falls on the grid, give or take the time onGrid took.
		if lo, hi := (before+got)%wakeGrid, (after+got)%wakeGrid; lo != 0 && hi >= lo {
			t.Errorf("onGrid(%s) = %s ends %s past a grid point", d, got, lo)
		}
	}
}

// A Check built without NewCheck, its Interval zero, is probed at the
// default interval, not in a busy loop.
func TestZeroIntervalDoesNotSpin(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var accepted atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	target := Target{Addr: l.Addr().String(), Check: Check{Kind: TCP, Timeout: 100 * time.Millisecond, Rise: 1, Fall: 1}}
	lease := NewRegistry(1).Acquire([]Target{target}, nil)
	defer lease.Release()
	select {
	case <-lease.FirstRound():
	case <-time.After(2*time.Second + slack):
		t.Fatal("first round not finished")
	}
	time.Sleep(300 * time.Millisecond)
	if n := accepted.Load(); n != 1 {
		t.Fatalf("%d probes within 300ms of the first, want 1", n)
	}
}
