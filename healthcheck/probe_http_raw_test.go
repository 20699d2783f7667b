package healthcheck

import (
	"bufio"
	"bytes"
	"net"
	"sync"
	"testing"
)

// rawServer is a loopback HTTP server written byte by byte: it reads each
// request head and lets respond write whatever it likes, malformed or slow.
// The last request head it read is kept.
type rawServer struct {
	net.Listener
	mu      sync.Mutex
	request []byte
	conns   []net.Conn
}

func newRawServer(t *testing.T, respond func(c net.Conn)) *rawServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{Listener: l}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		l.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				req, err := readRequestHead(c)
				if err != nil {
					return
				}
				s.mu.Lock()
				s.request = req
				s.mu.Unlock()
				respond(c)
			})
		}
	})
	return s
}

// readRequestHead reads up to the blank line that ends a request head.
func readRequestHead(c net.Conn) ([]byte, error) {
	br := bufio.NewReader(c)
	var head []byte
	for {
		line, err := br.ReadSlice('\n')
		head = append(head, line...)
		if err != nil {
			return head, err
		}
		if bytes.Equal(line, []byte("\r\n")) {
			return head, nil
		}
	}
}

func (s *rawServer) lastRequest() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.request)
}

// respondWith answers every request with raw and closes.
func respondWith(raw string) func(net.Conn) {
	return func(c net.Conn) { c.Write([]byte(raw)) }
}

// respondAndHang answers with raw and keeps the connection open until the
// client closes it.
func respondAndHang(raw string) func(net.Conn) {
	return func(c net.Conn) {
		c.Write([]byte(raw))
		c.Read(make([]byte, 1))
	}
}

// TestHTTPProbeRequest checks the request a probe writes, byte for byte.
func TestHTTPProbeRequest(t *testing.T) {
	srv := newRawServer(t, respondWith("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
	c := rawCheck("")
	c.Path = "/health/a b?full=1"
	c.Headers = []Header{{"x-probe", "one"}, {"User-Agent", "custom"}, {"X-Probe", "two"}}
	c.Host = "app.example"
	wantReason(t, runProbe(t, Target{Addr: srv.Addr().String(), Check: c}), "")
	want := "GET /health/a%20b?full=1 HTTP/1.1\r\nHost: app.example\r\nUser-Agent: custom\r\nX-Probe: two\r\nConnection: close\r\n\r\n"
	if got := srv.lastRequest(); got != want {
		t.Errorf("request\n%q\nwant\n%q", got, want)
	}
}

func TestHTTPProbeRejectsHeaderInjection(t *testing.T) {
	srv := newRawServer(t, respondWith("HTTP/1.1 200 OK\r\n\r\n"))
	for _, h := range []Header{{"X-A", "v\r\nX-Injected: 1"}, {"X A", "v"}, {"Host", "a\r\nb"}} {
		c := rawCheck("")
		c.Headers = []Header{h}
		wantReason(t, runProbe(t, Target{Addr: srv.Addr().String(), Check: c}), reasonError)
	}
	if got := srv.lastRequest(); got != "" {
		t.Errorf("server got %q, want no request sent", got)
	}
}
