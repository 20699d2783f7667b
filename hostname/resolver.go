package hostname

import (
	"context"
	"sync"
	"time"
)

// keepResolving is the resolver of h: it resolves h's name until ctx is
// done. The registry starts it once the previous resolver of h has exited:
// the entry's families are the state of one resolver at a time.
func (r *Registry) keepResolving(ctx context.Context, h *held) {
	e := &h.Val
	timer := time.NewTimer(firstWait(e.result.Load(), time.Now()))
	defer timer.Stop()
	failed := 0 // resolutions failed in a row
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		answers := r.resolve(ctx, e)
		if ctx.Err() != nil {
			return // cut short by stop: says nothing about the name
		}
		res, next, out := e.absorb(time.Now(), answers)
		if out == failure {
			failed++
			next = r.backoff(failed)
		} else {
			failed = 0
		}
		r.publish(h, res, out)
		timer.Reset(next)
	}
}

// firstWait is how long a new resolver waits before its first resolution:
// none, unless a Result kept from before is still good.
func firstWait(kept *Result, now time.Time) time.Duration {
	if kept.Stale || kept.Err != "" {
		return 0
	}
	return max(0, kept.Expires.Sub(now))
}

// resolve asks e's servers for A and AAAA at once, and remembers which
// server answered, to ask it first next time.
func (r *Registry) resolve(ctx context.Context, e *entry) [2]answer {
	servers, err := r.servers(e)
	if err != nil {
		return [2]answer{{err: err.Error()}, {err: err.Error()}}
	}
	var answers [2]answer
	first := e.preferred
	var wg sync.WaitGroup
	wg.Go(func() { answers[1] = r.ask(ctx, servers, first, e.key.name, qtypes[1]) })
	answers[0] = r.ask(ctx, servers, first, e.key.name, qtypes[0])
	wg.Wait()
	for _, a := range answers {
		if a.err == "" {
			e.preferred = a.server
			break
		}
	}
	return answers
}
