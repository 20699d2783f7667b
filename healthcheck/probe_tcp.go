package healthcheck

import (
	"context"
	"time"
)

// tcpProbe succeeds when a TCP connection to the target is established.
type tcpProbe struct {
	dialer  dialer
	timeout time.Duration
}

func newTCPProbe(t Target) *tcpProbe {
	return &tcpProbe{dialer: newDialer(t.Addr), timeout: t.Check.Timeout}
}

func (p *tcpProbe) run(ctx context.Context) error {
	return p.runBy(ctx, probeDeadline(ctx, p.timeout))
}

func (p *tcpProbe) runBy(ctx context.Context, deadline time.Time) error {
	if err := p.dialer.connect(ctx, deadline); err != nil { // closed with an RST: see dialer
		return classify(ctx, err)
	}
	return nil
}

func (*tcpProbe) close() {}
