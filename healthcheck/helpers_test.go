package healthcheck

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	clog "github.com/coredns/coredns/plugin/pkg/log"

	"github.com/gslb/gslb/internal/certtest"
)

func TestMain(m *testing.M) {
	clog.Discard()
	os.Exit(m.Run())
}

// testCheck is a check with intervals short enough for tests.
func testCheck(kind Kind) Check {
	c := NewCheck("test", kind)
	c.Interval, c.Timeout = 100*time.Millisecond, 80*time.Millisecond
	return c
}

// runProbe builds a probe for t, runs it once within t's timeout and closes it.
func runProbe(t *testing.T, target Target) error {
	t.Helper()
	p := newProbe(target)
	defer p.close()
	ctx, cancel := context.WithTimeout(context.Background(), target.Check.Timeout)
	defer cancel()
	return p.run(ctx)
}

// wantReason fails t unless err is a failure with reason ("" for success).
func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	if reason == "" {
		if err != nil {
			t.Fatalf("probe failed: %v", err)
		}
		return
	}
	var f *failure
	if !errors.As(err, &f) {
		t.Fatalf("got error %v (%T), want a failure with reason %q", err, err, reason)
	}
	if f.reason != reason {
		t.Fatalf("got reason %q (%v), want %q", f.reason, err, reason)
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T, network string) string {
	t.Helper()
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		return pc.LocalAddr().String()
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// hungServer accepts TCP connections and never reads or answers.
type hungServer struct {
	net.Listener
	mu       sync.Mutex
	conns    []net.Conn
	accepted chan struct{} // one value per accepted connection, if there is room
}

func newHungServer(t *testing.T) *hungServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &hungServer{Listener: l, accepted: make(chan struct{}, 100)}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			h.mu.Lock()
			h.conns = append(h.conns, c)
			h.mu.Unlock()
			select {
			case h.accepted <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		l.Close()
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, c := range h.conns {
			c.Close()
		}
	})
	return h
}

// certFiles writes a self-signed certificate for 127.0.0.1 and localhost
// and its key to dir, returning the paths.
func certFiles(t *testing.T, dir, name string) (certFile, keyFile string) {
	return certtest.Files(t, dir, name)
}

func writePEM(t *testing.T, path, typ string, der []byte) { certtest.WritePEM(t, path, typ, der) }

// runOnce runs an already built probe once within timeout.
func runOnce(p probe, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return p.run(ctx)
}

// slack is added to wall-clock bounds for scheduling delays on a loaded CI
// machine (the race detector, other packages' tests on two CPUs). The exact
// rise/fall counts and the probe schedule are asserted without it.
const slack = 500 * time.Millisecond

// logBuffer collects log output; probers write to it from their goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// captureLog sends the log to a buffer until t ends.
func captureLog(t *testing.T) *logBuffer {
	b := &logBuffer{}
	clog.SetOutput(b)
	t.Cleanup(clog.Discard)
	return b
}
