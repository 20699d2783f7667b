package healthcheck

import (
	"context"
	"errors"
	"time"
)

// userAgent lets backends tell probes from traffic in their logs.
const userAgent = "coredns-gslb-healthcheck"

// probe checks one target once per call. A prober builds its probe once and
// calls it from its one goroutine, so a probe keeps clients and connections
// between calls without locking.
type probe interface {
	// run returns nil when the target is healthy, else a *failure.
	// ctx carries the Check.Timeout deadline.
	run(ctx context.Context) error
	close()
}

// deadlineProbe is a probe that bounds its I/O by a deadline given apart from
// its context (connection deadlines), so the prober need not arm a context
// timer per probe; ctx then only stops it early.
type deadlineProbe interface {
	runBy(ctx context.Context, deadline time.Time) error
}

// probeDeadline is when a probe run with ctx must be done: ctx's deadline,
// or else the check's timeout from now.
func probeDeadline(ctx context.Context, timeout time.Duration) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(timeout)
}

func newProbe(t Target) probe {
	if t.Names != nil && t.Check.Kind != PromQL {
		return newHostProbe(t)
	}
	switch t.Check.Kind {
	case HTTP, HTTPS:
		return newHTTPProbe(t)
	case TCP:
		return newTCPProbe(t)
	case DNS:
		return newDNSProbe(t)
	case GRPC:
		return newGRPCProbe(t)
	case Agent:
		return newAgentProbe(t)
	case PromQL:
		return newPromQLProbe(t)
	}
	return brokenProbe{&failure{reason: reasonError, err: errors.New("check has no probe kind")}}
}

// brokenProbe fails every time with the error that kept a probe from being
// built (a check without a kind), so the operator sees it in Status.Err.
type brokenProbe struct{ err error }

func (b brokenProbe) run(context.Context) error { return b.err }
func (brokenProbe) close()                      {}
