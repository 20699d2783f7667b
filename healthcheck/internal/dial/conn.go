package dial

import (
	"context"
	"net"
	"time"
)

// aLongTimeAgo is a deadline in the past: it fails pending I/O at once.
var aLongTimeAgo = time.Unix(1, 0)

// guardedConn is a probe's connection: the end of the probe's context moves
// its deadline to the past, failing pending I/O at once, without a goroutine
// or a timer.
type guardedConn struct {
	net.Conn
	stop func() bool
}

// guard sets conn's deadline and ties conn to ctx until it is closed.
func guard(ctx context.Context, conn net.Conn, deadline time.Time) *guardedConn {
	conn.SetDeadline(deadline)
	return &guardedConn{Conn: conn, stop: context.AfterFunc(ctx, func() { conn.SetDeadline(aLongTimeAgo) })}
}

func (c *guardedConn) Close() error {
	c.stop()
	return c.Conn.Close()
}
