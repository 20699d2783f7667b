package healthcheck

import (
	"context"
	"errors"
	"net"
	"syscall"
	"testing"
	"time"
)

func TestTCPProbe(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
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

	wantReason(t, runProbe(t, Target{Addr: l.Addr().String(), Check: testCheck(TCP)}), "")
	// Closed with SO_LINGER 0: the backend sees a reset, not an orderly FIN,
	// and the prober's side keeps no TIME_WAIT socket.
	if err := <-readErr; !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("backend read after the probe: %v, want connection reset", err)
	}
	wantReason(t, runProbe(t, Target{Addr: closedPort(t, "tcp"), Check: testCheck(TCP)}), reasonRefused)
}

// fullListener is a loopback listener whose accept queue is full: further
// connection attempts are dropped, as by an overloaded backend.
func fullListener(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
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

func TestTCPProbeTimesOutOnFullBacklog(t *testing.T) {
	c := testCheck(TCP)
	c.Timeout = 200 * time.Millisecond
	target := Target{Addr: fullListener(t), Check: c}
	start := time.Now()
	wantReason(t, runProbe(t, target), reasonTimeout)
	if took := time.Since(start); took < c.Timeout || took > c.Timeout+slack {
		t.Errorf("probe took %s, want about the timeout %s", took, c.Timeout)
	}

	// Run by the prober (a deadline and no context timer), a stop still
	// ends the probe at once.
	target.Check = target.Check.withDefaults()
	p := newProbe(target)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start = time.Now()
	if err := probeBy(ctx, p, start.Add(time.Minute)); err == nil {
		t.Fatal("probe of a full backlog succeeded")
	}
	if took := time.Since(start); took > slack {
		t.Errorf("stopped probe returned after %s", took)
	}
}
