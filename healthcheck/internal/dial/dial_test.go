package dial

import (
	"context"
	"errors"
	"github.com/gslb/gslb/internal/listentest"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"
)

// ways are the two calls of a Dialer, each closing what it opened.
var ways = map[string]func(d Dialer, ctx context.Context, deadline time.Time) error{
	"Connect": Dialer.Connect,
	"Dial": func(d Dialer, ctx context.Context, deadline time.Time) error {
		conn, err := d.Dial(ctx, deadline)
		if err != nil {
			return err
		}
		return conn.Close()
	},
}

// An IPv4 and an IPv6 address (bare sockets) and a host name (net.Dialer)
// are dialled; every connection is closed with a reset.
func TestClosedWithReset(t *testing.T) {
	for _, tc := range []struct {
		name, network string
		byName        bool
	}{{"tcp4", "tcp4", false}, {"tcp6", "tcp6", false}, {"localhost", "tcp4", true}} {
		for way, call := range ways {
			t.Run(tc.name+"/"+way, func(t *testing.T) {
				l, addr := listentest.Loopback(t, tc.network, tc.byName)
				readErr := make(chan error, 1)
				go func() {
					c, err := l.Accept()
					if err != nil {
						readErr <- err
						return
					}
					defer c.Close()
					c.SetReadDeadline(time.Now().Add(5 * time.Second))
					_, err = c.Read(make([]byte, 1))
					readErr <- err
				}()
				if err := call(New(addr, netip.Addr{}), context.Background(), time.Now().Add(time.Second)); err != nil {
					t.Fatalf("%s %s: %v", way, addr, err)
				}
				// Closed with SO_LINGER 0: the backend sees a reset, not an
				// orderly FIN, and the prober's side keeps no TIME_WAIT socket.
				if err := <-readErr; !errors.Is(err, syscall.ECONNRESET) {
					t.Errorf("backend read after the probe: %v, want connection reset", err)
				}
			})
		}
	}
}

func TestRefused(t *testing.T) {
	addr := closedPort(t)
	_, port, _ := net.SplitHostPort(addr)
	for _, addr := range []string{addr, net.JoinHostPort("localhost", port)} {
		for way, call := range ways {
			err := call(New(addr, netip.Addr{}), context.Background(), time.Now().Add(time.Second))
			if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("%s %s: %v, want connection refused", way, addr, err)
			}
		}
	}
}

// A backend that drops connection attempts times out at the deadline, by
// address (bare socket) and by name (net.Dialer); the end of the context
// stops the attempt at once, though the deadline is far.
func TestFullBacklog(t *testing.T) {
	addr, _ := listentest.Full(t)
	_, port, _ := net.SplitHostPort(addr)
	for _, addr := range []string{addr, net.JoinHostPort("localhost", port)} {
		for way, call := range ways {
			timeout := 200 * time.Millisecond
			start := time.Now()
			err := call(New(addr, netip.Addr{}), context.Background(), start.Add(timeout))
			var netErr net.Error
			if !errors.As(err, &netErr) || !netErr.Timeout() {
				t.Errorf("%s %s: %v, want a timeout", way, addr, err)
			}
			if took := time.Since(start); took < timeout || took > timeout+slack {
				t.Errorf("%s %s: took %s, want about the deadline %s", way, addr, took, timeout)
			}

			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			start = time.Now()
			if err := call(New(addr, netip.Addr{}), ctx, start.Add(time.Minute)); !errors.Is(err, context.Canceled) {
				t.Errorf("%s %s stopped: %v, want context.Canceled", way, addr, err)
			}
			if took := time.Since(start); took > slack {
				t.Errorf("%s %s: stopped attempt returned after %s", way, addr, took)
			}
		}
	}
}

// A connection that is not up when connect returns is waited for in the
// poller: here the backend makes room in its accept queue after a while and
// the kernel's retransmitted SYN gets through.
func TestWaitsForSlowHandshake(t *testing.T) {
	for way, call := range ways {
		t.Run(way, func(t *testing.T) {
			addr, fd := listentest.Full(t)
			time.AfterFunc(100*time.Millisecond, func() {
				if nfd, _, err := syscall.Accept(fd); err == nil {
					syscall.Close(nfd)
				}
			})
			start := time.Now()
			if err := call(New(addr, netip.Addr{}), context.Background(), start.Add(5*time.Second)); err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took < 100*time.Millisecond {
				t.Errorf("took %s: it did not wait for the backend", took)
			}
		})
	}
}
