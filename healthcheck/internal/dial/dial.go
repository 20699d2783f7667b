// Package dial opens the connections of health probes: one new TCP
// connection per probe, as each probe is to prove the backend accepts
// connections. Each is closed with SO_LINGER 0: an RST instead of a FIN
// exchange, and no TIME_WAIT socket left behind (2,000 probes/s would hold
// ~120,000 of them). HAProxy closes its checks the same way; the backend sees
// a reset connection.
//
// An IP address is dialled on a bare non-blocking socket where the platform
// allows (Linux); a host name goes through net.Dialer and the resolver.
// Either way the connection's deadline is set once, and the caller's context
// only stops a probe early: its end moves the deadline to the past. A
// dialer with a source address binds its sockets to it (see source.go).
package dial

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// Dialer dials one address, over and over. Build it once per prober with New.
type Dialer struct {
	addr   string
	source netip.Addr
	ip     *ipDialer // when addr is an IP address
	err    error     // why addr cannot be dialled from source; every dial returns it
}

// New returns the dialer of addr, HOST:PORT, from source (zero: the kernel
// picks). An IP address without a zone is parsed here, once, so each dial
// only makes its system calls.
func New(addr string, source netip.Addr) Dialer {
	d := Dialer{addr: addr, source: source.Unmap(), err: CheckSource(addr, source)}
	if ap, err := netip.ParseAddrPort(addr); err == nil && ap.Addr().Zone() == "" && d.err == nil {
		ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		d.ip = newIPDialer(ap, net.TCPAddrFromAddrPort(ap), d.source)
	}
	return d
}

// Dial connects by deadline and returns the connection with that deadline
// set; ctx only stops the probe early (the prober stopping). Closing the
// connection resets it.
func (d Dialer) Dial(ctx context.Context, deadline time.Time) (net.Conn, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.ip != nil {
		return d.ip.dial(ctx, deadline)
	}
	return dialNet(ctx, d.addr, d.source, deadline)
}

// Connect proves a connection can be established, and resets it.
func (d Dialer) Connect(ctx context.Context, deadline time.Time) error {
	if d.err != nil {
		return d.err
	}
	if d.ip != nil {
		return d.ip.connect(ctx, deadline)
	}
	conn, err := dialNet(ctx, d.addr, d.source, deadline)
	if err != nil {
		return err
	}
	return conn.Close()
}

// dialNet dials through net.Dialer: host names, and IP addresses where no
// bare-socket dial is written. A host name is resolved to the addresses of
// source's family, when given.
func dialNet(ctx context.Context, addr string, source netip.Addr, deadline time.Time) (net.Conn, error) {
	nd := net.Dialer{
		Deadline:        deadline,
		LocalAddr:       LocalAddr("tcp", source),
		KeepAlive:       -1, // a probe connection lives for one exchange
		KeepAliveConfig: net.KeepAliveConfig{Enable: false},
	}
	conn, err := nd.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, ExplainSource(err, addr, source)
	}
	conn.(*net.TCPConn).SetLinger(0)
	return guard(ctx, conn, deadline), nil
}
