//go:build !linux

package healthcheck

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// dialIP dials through net.Dialer where no bare-socket dial is written.
func dialIP(ctx context.Context, _ netip.AddrPort, tcp *net.TCPAddr, deadline time.Time) (net.Conn, error) {
	return dialNet(ctx, tcp.String(), deadline)
}
