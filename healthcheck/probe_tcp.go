package healthcheck

import (
	"context"
	"time"

	"github.com/gslb/gslb/healthcheck/internal/dial"
)

// tcpProbe succeeds when a TCP connection to the target is established.
type tcpProbe struct {
	dialer  dial.Dialer
	timeout time.Duration
}

func newTCPProbe(t Target) *tcpProbe {
	return &tcpProbe{dialer: dial.New(t.Addr, t.Check.Source), timeout: t.Check.Timeout}
}

func (p *tcpProbe) run(ctx context.Context) error {
	return p.runBy(ctx, probeDeadline(ctx, p.timeout))
}

func (p *tcpProbe) runBy(ctx context.Context, deadline time.Time) error {
	if err := p.dialer.Connect(ctx, deadline); err != nil { // closed with an RST: see package dial
		return classify(ctx, err)
	}
	return nil
}

func (*tcpProbe) close() {}
