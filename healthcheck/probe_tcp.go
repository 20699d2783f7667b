package healthcheck

import (
	"context"
	"net"
)

// tcpProbe succeeds when a TCP connection to the target is established.
type tcpProbe struct {
	addr   string
	dialer net.Dialer
}

func newTCPProbe(t Target) *tcpProbe { return &tcpProbe{addr: t.Addr} }

func (p *tcpProbe) run(ctx context.Context) error {
	conn, err := p.dialer.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return classify(ctx, err)
	}
	conn.Close()
	return nil
}

func (*tcpProbe) close() {}
