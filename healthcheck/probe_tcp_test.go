package healthcheck

import (
	"context"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestTCPProbe probes an IPv4 and an IPv6 address and a host name. How the
// connection is made and closed (with a reset) is package dial's test.
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
			addr := l.Addr().String()
			if host != "" {
				addr = net.JoinHostPort(host, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
			}
			wantReason(t, runProbe(t, Target{Addr: addr, Check: testCheck(TCP)}), "")
		})
	}
	wantReason(t, runProbe(t, Target{Addr: closedPort(t, "tcp"), Check: testCheck(TCP)}), reasonRefused)
}

// fullListener is a loopback listener whose accept queue is full: further
// connection attempts are dropped, as by an overloaded backend.
func fullListener(t *testing.T) string {
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
	return addr
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
