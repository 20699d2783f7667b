package healthcheck

import (
	"context"
	"errors"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestTCPProbe dials an IPv4 and an IPv6 address (bare sockets) and a host
// name (net.Dialer); every probe connection is closed with a reset.
func TestTCPProbe(t *testing.T) {
	for _, network := range []string{"tcp4", "tcp6", "localhost"} {
		t.Run(network, func(t *testing.T) {
			listen, at, host := network, "127.0.0.1:0", ""
			switch network {
			case "tcp6":
				at = "[::1]:0"
			case "localhost":
				listen, host = "tcp4", "localhost"
			}
			l, err := net.Listen(listen, at)
			if err != nil {
				t.Skipf("no %s loopback: %v", listen, err)
			}
			t.Cleanup(func() { l.Close() })
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
			addr := l.Addr().String()
			if host != "" {
				addr = net.JoinHostPort(host, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
			}
			wantReason(t, runProbe(t, Target{Addr: addr, Check: testCheck(TCP)}), "")
			// Closed with SO_LINGER 0: the backend sees a reset, not an
			// orderly FIN, and the prober's side keeps no TIME_WAIT socket.
			if err := <-readErr; !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("backend read after the probe: %v, want connection reset", err)
			}
		})
	}
	wantReason(t, runProbe(t, Target{Addr: closedPort(t, "tcp"), Check: testCheck(TCP)}), reasonRefused)
}

// fullListener is a loopback listener whose accept queue is full: further
// connection attempts are dropped, as by an overloaded backend.
func fullListener(t *testing.T) string {
	addr, _ := fullListenerFD(t)
	return addr
}

// fullListenerFD is fullListener, with the listening socket so that a test
// can make room by accepting.
func fullListenerFD(t *testing.T) (string, int) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil { // room for one connection, never accepted
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := (&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sa.(*syscall.SockaddrInet4).Port}).String()
	filler, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { filler.Close() })
	return addr, fd
}

// A backend that drops connection attempts times out, by address (bare
// socket) and by name (net.Dialer); a stop of the prober ends the probe at once.
func TestTCPProbeTimesOutOnFullBacklog(t *testing.T) {
	addr := fullListener(t)
	_, port, _ := net.SplitHostPort(addr)
	for _, addr := range []string{addr, net.JoinHostPort("localhost", port)} {
		c := testCheck(TCP)
		c.Timeout = 200 * time.Millisecond
		target := Target{Addr: addr, Check: c}
		start := time.Now()
		wantReason(t, runProbe(t, target), reasonTimeout)
		if took := time.Since(start); took < c.Timeout || took > c.Timeout+slack {
			t.Errorf("%s: probe took %s, want about the timeout %s", addr, took, c.Timeout)
		}

		p := newProbe(target)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start = time.Now()
		if err := probeBy(ctx, p, start.Add(time.Minute)); err == nil {
			t.Fatalf("%s: probe of a full backlog succeeded", addr)
		}
		if took := time.Since(start); took > slack {
			t.Errorf("%s: stopped probe returned after %s", addr, took)
		}
	}
}

// A connection that is not up when connect returns is waited for in the
// poller: here the backend makes room in its accept queue after a while and
// the kernel's retransmitted SYN gets through.
func TestTCPProbeWaitsForSlowHandshake(t *testing.T) {
	addr, fd := fullListenerFD(t)
	time.AfterFunc(100*time.Millisecond, func() {
		if nfd, _, err := syscall.Accept(fd); err == nil {
			syscall.Close(nfd)
		}
	})
	c := testCheck(TCP)
	c.Timeout = 5 * time.Second
	start := time.Now()
	wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), "")
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Errorf("probe took %s: it did not wait for the backend", took)
	}
}
