package dial

import (
	"context"
	"errors"
	"github.com/gslb/gslb/internal/listentest"
	"net"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"
)

// hung accepts connections and never answers; it returns the address to
// dial, by IP or by name.
func hung(t *testing.T, byName bool) string {
	t.Helper()
	l, addr := listentest.Loopback(t, "tcp4", byName)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return addr
}

// A dialled connection carries the deadline it was dialled by, and the end
// of the context fails its pending I/O at once.
func TestDialedConnection(t *testing.T) {
	for _, byName := range []bool{false, true} {
		addr := hung(t, byName)
		d := New(addr, netip.Addr{})

		deadline := time.Now().Add(150 * time.Millisecond)
		conn, err := d.Dial(context.Background(), deadline)
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		_, err = conn.Read(make([]byte, 1))
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("%s: read from a hung backend: %v, want the deadline exceeded", addr, err)
		}
		if late := time.Since(deadline); late < 0 || late > slack {
			t.Errorf("%s: read returned %s after the deadline", addr, late)
		}
		conn.Close()

		ctx, cancel := context.WithCancel(context.Background())
		conn, err = d.Dial(ctx, time.Now().Add(time.Minute))
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		if _, err := conn.Read(make([]byte, 1)); err == nil {
			t.Errorf("%s: read from a hung backend succeeded", addr)
		}
		if took := time.Since(start); took > slack {
			t.Errorf("%s: stopped read returned after %s", addr, took)
		}
		conn.Close()
	}
}
