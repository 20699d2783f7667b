package dial

import (
	"context"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"
)

// ipDialer connects to an IP address on a bare non-blocking socket, waiting
// in the runtime's poller bounded by the socket's deadline. net.Dialer would
// add a context with a timer, another context to watch it and four system
// calls a probe never needs. On loopback the handshake is usually complete
// when connect returns, and Connect then closes the socket without ever
// registering it with the poller.
type ipDialer struct {
	sa   rawSockaddr
	src  rawSockaddr // the source address, port 0, to bind to; a nil ptr: the kernel picks
	tcp  *net.TCPAddr
	name string // of the *os.File, in errors
}

// newIPDialer is the dialer of ap from source, whose family CheckSource
// found to be ap's.
func newIPDialer(ap netip.AddrPort, tcp *net.TCPAddr, source netip.Addr) *ipDialer {
	d := &ipDialer{sa: newRawSockaddr(ap), tcp: tcp, name: "tcp " + tcp.String()}
	if source.IsValid() {
		d.src = newRawSockaddr(netip.AddrPortFrom(source, 0))
	}
	return d
}

func (d *ipDialer) fail(err error) error {
	return &net.OpError{Op: "dial", Net: "tcp", Addr: d.tcp, Err: err}
}

// start opens a socket closed with SO_LINGER 0 and starts connecting it; up
// says whether the connection is already established.
func (d *ipDialer) start() (fd int, up bool, err error) {
	fd, err = syscall.Socket(d.sa.family, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, false, d.fail(os.NewSyscallError("socket", err))
	}
	if err = setLingerAbort(fd); err != nil {
		err = os.NewSyscallError("setsockopt", err)
	} else if err = d.bind(fd); err != nil {
		err = os.NewSyscallError("bind", err)
	} else if err = rawConnect(fd, d.sa); err == nil {
		return fd, true, nil
	} else if err == syscall.EINPROGRESS || err == syscall.EINTR {
		up, err = d.connected(fd)
	} else {
		err = os.NewSyscallError("connect", err)
	}
	if err != nil {
		rawClose(fd)
		return -1, false, d.fail(err)
	}
	return fd, up, nil
}

// connected asks by a repeated connect, which on Linux answers 0 or EISCONN
// (up), EALREADY (in progress) or the error.
func (d *ipDialer) connected(fd int) (bool, error) {
	switch err := rawConnect(fd, d.sa); err {
	case nil, syscall.EISCONN:
		return true, nil
	case syscall.EALREADY, syscall.EINPROGRESS, syscall.EINTR:
		return false, nil
	default:
		return false, os.NewSyscallError("connect", err)
	}
}

// connect opens a connection and closes it (with an RST) once established.
func (d *ipDialer) connect(ctx context.Context, deadline time.Time) error {
	fd, up, err := d.start()
	if err != nil {
		return err
	}
	if up {
		return rawClose(fd)
	}
	conn, err := d.await(ctx, fd, deadline)
	if err != nil {
		return err
	}
	return conn.Close()
}

func (d *ipDialer) dial(ctx context.Context, deadline time.Time) (net.Conn, error) {
	fd, up, err := d.start()
	if err != nil {
		return nil, err
	}
	if up {
		return guard(ctx, &fileConn{File: os.NewFile(uintptr(fd), d.name), remote: d.tcp}, deadline), nil
	}
	return d.await(ctx, fd, deadline)
}

// bind binds fd to the source address, if any. IP_BIND_ADDRESS_NO_PORT
// leaves the port to connect, which picks it per destination as it does
// without a source; bind alone would pick one free towards every
// destination, a pool all probes share. Kernels before 4.2 lack the option
// and do just that, so its failure is ignored.
func (d *ipDialer) bind(fd int) error {
	if d.src.ptr == nil {
		return nil
	}
	setBindNoPort(fd)
	return rawBind(fd, d.src)
}
