package healthcheck

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// dialer opens the connections of TCP and HTTP probes: one new connection per
// probe, as each probe is to prove the backend accepts connections. Each is
// closed with SO_LINGER 0: an RST instead of a FIN exchange, and no TIME_WAIT
// socket left behind (2,000 probes/s would hold ~120,000 of them). HAProxy
// closes its checks the same way; the backend sees a reset connection.
type dialer struct {
	addr string
	ip   *ipDialer // when addr is an IP address
}

func newDialer(addr string) dialer {
	d := dialer{addr: addr}
	if ap, err := netip.ParseAddrPort(addr); err == nil && ap.Addr().Zone() == "" {
		ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		d.ip = newIPDialer(ap, net.TCPAddrFromAddrPort(ap))
	}
	return d
}

// dial connects by deadline and returns the connection with that deadline
// set; ctx only stops the probe early (the prober stopping). An IP address is
// dialled on a bare socket where the platform allows (ipDialer); a host name
// goes through net.Dialer and the resolver.
func (d dialer) dial(ctx context.Context, deadline time.Time) (net.Conn, error) {
	if d.ip != nil {
		return d.ip.dial(ctx, deadline)
	}
	return dialNet(ctx, d.addr, deadline)
}

// connect proves a connection can be established, and closes it.
func (d dialer) connect(ctx context.Context, deadline time.Time) error {
	if d.ip != nil {
		return d.ip.connect(ctx, deadline)
	}
	conn, err := dialNet(ctx, d.addr, deadline)
	if err != nil {
		return err
	}
	return conn.Close()
}

func dialNet(ctx context.Context, addr string, deadline time.Time) (net.Conn, error) {
	nd := net.Dialer{
		Deadline:        deadline,
		KeepAlive:       -1, // a probe connection lives for one exchange
		KeepAliveConfig: net.KeepAliveConfig{Enable: false},
	}
	conn, err := nd.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	conn.(*net.TCPConn).SetLinger(0)
	return guard(ctx, conn, deadline), nil
}

// probeConn is a probe's connection: a stop of the prober moves its deadline
// to the past, failing pending I/O at once, without a goroutine or a timer.
type probeConn struct {
	net.Conn
	stop func() bool
}

func guard(ctx context.Context, conn net.Conn, deadline time.Time) *probeConn {
	conn.SetDeadline(deadline)
	return &probeConn{Conn: conn, stop: context.AfterFunc(ctx, func() { conn.SetDeadline(aLongTimeAgo) })}
}

func (c *probeConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

// probeDeadline is when a probe run with ctx must be done: ctx's deadline,
// or else the check's timeout from now.
func probeDeadline(ctx context.Context, timeout time.Duration) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(timeout)
}
