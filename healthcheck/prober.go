package healthcheck

import (
	"context"
	"math/rand/v2"
	"time"
)

// keepProbing is the prober of h: it probes h's target until ctx is done.
// The registry starts it once the previous prober of h has exited, so
// there is one probe in flight per target across a quick release and
// re-acquire too.
func (r *Registry) keepProbing(ctx context.Context, h *held) {
	e := &h.Val
	pr := newProbe(e.target)
	defer pr.close()
	metrics := newProbeMetrics(e.target, e.check)

	interval := e.target.Check.every()
	timer := time.NewTimer(onGrid(firstDelay(interval))) // the one timer of this prober
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		start := time.Now()
		if !acquireSlot(ctx, r.slots) {
			return
		}
		begin := time.Now() // the timeout and latency leave out the wait for a slot
		err := probeBy(ctx, pr, begin.Add(e.target.Check.Timeout))
		latency := time.Since(begin)
		<-r.slots
		if ctx.Err() != nil {
			return // cut short by stop: says nothing about the target
		}
		metrics.observe(latency, err)
		r.report(h, err, latency, wordOf(pr))
		timer.Reset(onGrid(nextDelay(interval, time.Since(start))))
	}
}

// acquireSlot takes one of the registry's concurrent-probe slots, or returns
// false when the prober is stopped first. A free slot is taken without a
// select over two channels.
func acquireSlot(ctx context.Context, slots chan struct{}) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
	}
	select {
	case slots <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// probeBy runs pr once by deadline. Probes that bound their own I/O by the
// deadline get the prober's context as is; others get a context that expires.
func probeBy(ctx context.Context, pr probe, deadline time.Time) error {
	if dp, ok := pr.(deadlineProbe); ok {
		return dp.runBy(ctx, deadline)
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	return pr.run(ctx)
}

// wakeGrid is the grid probe times are rounded up to: probers due within the
// same few milliseconds wake together, so one timer expiry and one scheduler
// wake-up start several probes instead of one each (20 at 10,000 members
// every 5 s), and their connections complete in the same poll.
const wakeGrid = 10 * time.Millisecond

var gridEpoch = time.Now()

// onGrid lengthens d so that it ends on the grid.
func onGrid(d time.Duration) time.Duration {
	end := time.Since(gridEpoch) + d
	return d + (wakeGrid-end%wakeGrid)%wakeGrid
}

// firstDelay spreads the first probes of many targets instead of firing them
// at once, but keeps the first round short: readiness waits for it.
func firstDelay(interval time.Duration) time.Duration {
	return rand.N(min(interval, time.Second))
}

// nextDelay is the wait after a probe that took elapsed: one interval from
// its start, with ±10% jitter so probers started together drift apart.
func nextDelay(interval, elapsed time.Duration) time.Duration {
	next := time.Duration(float64(interval) * (0.9 + 0.2*rand.Float64()))
	return max(0, next-elapsed)
}
