package dial

import (
	"context"
	"errors"
	"net"
	"os"
	"time"
)

// await waits in the poller for fd's connection to be established or fail,
// by deadline or until ctx is done.
func (d *ipDialer) await(ctx context.Context, fd int, deadline time.Time) (net.Conn, error) {
	f := os.NewFile(uintptr(fd), d.name) // registers fd with the poller
	conn := guard(ctx, &fileConn{File: f, remote: d.tcp}, deadline)
	rc, err := f.SyscallConn()
	var result error
	if err == nil {
		err = rc.Write(func(fd uintptr) bool {
			up, err := d.connected(int(fd))
			result = err
			return up || err != nil // else wait for writability
		})
	}
	if err == nil {
		err = result
	}
	if err != nil {
		conn.Close()
		if errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil {
			err = ctx.Err() // stopped, not timed out
		}
		return nil, d.fail(err)
	}
	return conn, nil
}

// fileConn is a connected socket as a net.Conn: an *os.File has Read, Write,
// Close and deadlines on the runtime poller already.
type fileConn struct {
	*os.File
	remote *net.TCPAddr
}

func (c *fileConn) LocalAddr() net.Addr  { return &net.TCPAddr{} }
func (c *fileConn) RemoteAddr() net.Addr { return c.remote }
