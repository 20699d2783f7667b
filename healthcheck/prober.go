package healthcheck

import (
	"context"
	"math/rand/v2"
	"time"
)

// prober is the goroutine that probes one target until it is stopped.
type prober struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when the goroutine has exited
}

// startProber starts probing e. prev is the target's previous prober, if any:
// it may still be finishing after a release, and one probe in flight per
// target holds across a quick release and re-acquire too.
func startProber(r *Registry, e *entry, prev *prober) *prober {
	ctx, cancel := context.WithCancel(context.Background())
	p := &prober{cancel: cancel, done: make(chan struct{})}
	go p.loop(ctx, r, e, prev)
	return p
}

func (p *prober) loop(ctx context.Context, r *Registry, e *entry, prev *prober) {
	defer close(p.done)
	if prev != nil {
		<-prev.done
	}
	pr := newProbe(e.target)
	defer pr.close()

	interval := e.target.Check.Interval
	timer := time.NewTimer(firstDelay(interval))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		start := time.Now()
		if !p.probeOnce(ctx, r, e, pr) {
			return
		}
		timer.Reset(nextDelay(interval, time.Since(start)))
	}
}

// probeOnce runs one probe under the registry's concurrency bound and records
// it. It returns false when the prober was stopped meanwhile.
func (p *prober) probeOnce(ctx context.Context, r *Registry, e *entry, pr probe) bool {
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	probeCtx, cancel := context.WithTimeout(ctx, e.target.Check.Timeout)
	start := time.Now()
	err := pr.run(probeCtx)
	latency := time.Since(start)
	cancel()
	<-r.slots
	if ctx.Err() != nil {
		return false // cut short by stop: says nothing about the target
	}
	observeProbe(e.target, latency, err)
	r.record(e, err, latency)
	return true
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
