//go:build !linux

package dial

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// ipDialer dials through net.Dialer where no bare-socket dial is written.
type ipDialer struct {
	addr   string
	source netip.Addr
}

func newIPDialer(_ netip.AddrPort, tcp *net.TCPAddr, source netip.Addr) *ipDialer {
	return &ipDialer{addr: tcp.String(), source: source}
}

func (d *ipDialer) dial(ctx context.Context, deadline time.Time) (net.Conn, error) {
	return dialNet(ctx, d.addr, d.source, deadline)
}

func (d *ipDialer) connect(ctx context.Context, deadline time.Time) error {
	conn, err := d.dial(ctx, deadline)
	if err != nil {
		return err
	}
	return conn.Close()
}
