package healthcheck

import (
	"context"
	"net"
	"syscall"
	"time"
)

// probeDialer opens the connections of TCP and HTTP probes. Each probe proves
// the backend accepts a new connection, so connections are never reused.
var probeDialer = net.Dialer{
	// A probe connection lives for one exchange: keep-alive probes would only
	// cost setsockopt calls.
	KeepAlive:       -1,
	KeepAliveConfig: net.KeepAliveConfig{Enable: false},
	Control:         abortiveClose,
}

// abortiveClose sets SO_LINGER 0 before connecting, so closing the probe's
// connection sends an RST instead of a FIN exchange and leaves no TIME_WAIT
// socket behind (2,000 probes/s would hold ~120,000 of them); HAProxy closes
// its checks the same way.
func abortiveClose(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptLinger(int(fd), syscall.SOL_SOCKET, syscall.SO_LINGER, &syscall.Linger{Onoff: 1, Linger: 0})
	})
	if err != nil {
		return err
	}
	return serr
}

// dial connects to addr by deadline. ctx only stops the dial early (the
// prober being stopped); when ctx carries the same deadline the dialer arms no
// timer of its own beyond the socket's write deadline.
func dial(ctx context.Context, addr string, deadline time.Time) (net.Conn, error) {
	d := probeDialer
	d.Deadline = deadline
	return d.DialContext(ctx, "tcp", addr)
}

// probeDeadline is when a probe run with ctx must be done: ctx's deadline,
// or else the check's timeout from now.
func probeDeadline(ctx context.Context, timeout time.Duration) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(timeout)
}
