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
	conn, err := p.dialer.dial(ctx, deadline)
	if err != nil {
		return classify(ctx, err)
	}
	conn.Close() // an RST: see setAbortiveClose
	return nil
}

func (*tcpProbe) close() {}
