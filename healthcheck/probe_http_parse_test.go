package healthcheck

import (
	"context"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rawCheck probes PATH of a raw server, with match when pattern is not "".
func rawCheck(pattern string) Check {
	c := testCheck(HTTP)
	c.Path, c.Timeout = "/health", time.Second
	if pattern != "" {
		c.Match = regexp.MustCompile(pattern)
	}
	return c
}

// A probe's verdict on raw responses; how each is parsed is package http1's
// test. A probe reads no more than it needs: one that waits on a backend
// which keeps its connection open takes its whole timeout.
func TestHTTPProbeOnRawResponses(t *testing.T) {
	tests := []struct {
		name    string
		respond func(net.Conn)
		match   string
		reason  string
		errText string
	}{
		{name: "chunked body matched without its framing",
			respond: respondWith("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"),
			match:   `^hello world$`},
		{name: "chunked body cut short",
			respond: respondWith("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n wo"),
			match:   `hello`, reason: reasonError, errText: "unexpected EOF"},
		{name: "content-length body, connection left open",
			respond: respondAndHang("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA"),
			match:   `^hello$`},
		{name: "status judged without reading the body",
			respond: respondAndHang("HTTP/1.1 200 OK\r\n\r\nnever ends")},
		{name: "no body after 204",
			respond: respondAndHang("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"), match: `^$`},
		{name: "interim 100 skipped",
			respond: respondWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), match: `^ok$`},
		{name: "not HTTP at all",
			respond: respondWith("SSH-2.0-OpenSSH_9.6\r\n"), reason: reasonError, errText: "malformed status line"},
		{name: "closed before any response",
			respond: respondWith(""), reason: reasonError, errText: "closed before the end of the response head"},
		{name: "oversized head, one endless field",
			respond: respondAndHang("HTTP/1.1 200 OK\r\nX-Pad: " + strings.Repeat("p", 2*maxBody)),
			reason:  reasonError, errText: "response head larger than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRawServer(t, tc.respond)
			c := rawCheck(tc.match)
			start := time.Now()
			err := runProbe(t, Target{Addr: srv.Addr().String(), Check: c})
			wantReason(t, err, tc.reason)
			if err != nil && !strings.Contains(err.Error(), tc.errText) {
				t.Errorf("error %q, want it to say %q", err, tc.errText)
			}
			if took := time.Since(start); took > c.Timeout/2 {
				t.Errorf("probe took %s: it waited for something it did not need", took)
			}
		})
	}
}

func TestHTTPProbeSlowBackendBoundedByTimeout(t *testing.T) {
	drips := map[string]string{
		"head": "HTTP/1.1 200 OK\r\nX-Slow: " + strings.Repeat("s", 1000),
		"body": "HTTP/1.1 200 OK\r\n\r\n" + strings.Repeat("s", 1000),
	}
	for name, raw := range drips {
		t.Run(name, func(t *testing.T) {
			srv := newRawServer(t, func(c net.Conn) {
				for i := range len(raw) { // a byte every 10ms: never idle long, never done
					if _, err := c.Write([]byte{raw[i]}); err != nil {
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
			})
			c := rawCheck(`never`)
			c.Timeout = 300 * time.Millisecond
			start := time.Now()
			wantReason(t, runProbe(t, Target{Addr: srv.Addr().String(), Check: c}), reasonTimeout)
			if took := time.Since(start); took < c.Timeout || took > c.Timeout+slack {
				t.Errorf("slow backend probed for %s, want about the timeout %s", took, c.Timeout)
			}
		})
	}
}

// A stop of the prober ends a probe waiting on a hung backend at once, though
// its deadline is far.
func TestHTTPProbeStopsAtOnce(t *testing.T) {
	hung := newHungServer(t)
	c := rawCheck("")
	p := newProbe(Target{Addr: hung.Addr().String(), Check: c})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	if err := probeBy(ctx, p, start.Add(time.Minute)); err == nil {
		t.Fatal("probe of a hung backend succeeded")
	}
	if took := time.Since(start); took > slack {
		t.Errorf("stopped probe returned after %s", took)
	}
}
