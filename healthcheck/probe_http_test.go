package healthcheck

import (
	"fmt"
	"github.com/gslb/gslb/internal/poll"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// httpBackend serves the paths the HTTP probe tests ask for.
func httpBackend(t *testing.T, redirected *atomic.Int32) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "all good") })
	mux.HandleFunc("/fail", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/target", http.StatusFound) })
	mux.HandleFunc("/target", func(http.ResponseWriter, *http.Request) { redirected.Add(1) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, strings.Repeat("a", maxBody), "NEEDLE")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "host=%s x-probe=%s ua=%s", r.Host, r.Header.Get("X-Probe"), r.UserAgent())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestHTTPProbe(t *testing.T) {
	var redirected atomic.Int32
	srv := httpBackend(t, &redirected)
	addr := srv.Listener.Addr().String()

	tests := []struct {
		name   string
		path   string
		modify func(*Check)
		reason string
	}{
		{name: "200 within default expect", path: "/ok"},
		{name: "503 outside default expect", path: "/fail", reason: reasonStatus},
		{name: "503 within expect 500-599", path: "/fail", modify: func(c *Check) { c.Expect = []StatusRange{{500, 599}} }},
		{name: "503 outside expect 200 204", path: "/fail", modify: func(c *Check) { c.Expect = []StatusRange{{200, 200}, {204, 204}} }, reason: reasonStatus},
		{name: "302 judged, not followed", path: "/redirect", reason: reasonStatus},
		{name: "302 within expect 300-399", path: "/redirect", modify: func(c *Check) { c.Expect = []StatusRange{{300, 399}} }},
		{name: "body matches", path: "/ok", modify: func(c *Check) { c.Match = regexp.MustCompile(`all\s+good`) }},
		{name: "body does not match", path: "/ok", modify: func(c *Check) { c.Match = regexp.MustCompile(`^bad`) }, reason: reasonMatch},
		{name: "match reads a bounded body", path: "/big", modify: func(c *Check) { c.Match = regexp.MustCompile(`NEEDLE`) }, reason: reasonMatch},
		{name: "Host header from host", path: "/echo", modify: func(c *Check) {
			c.Host, c.Match = "app.example.com", regexp.MustCompile(`^host=app\.example\.com `)
		}},
		{name: "Host header defaults to the address", path: "/echo", modify: func(c *Check) {
			c.Match = regexp.MustCompile(`^host=` + regexp.QuoteMeta(addr) + ` `)
		}},
		{name: "custom header", path: "/echo", modify: func(c *Check) {
			c.Headers, c.Match = []Header{{"X-Probe", "yes"}}, regexp.MustCompile(`x-probe=yes `)
		}},
		{name: "Host given as a header", path: "/echo", modify: func(c *Check) {
			c.Headers, c.Match = []Header{{"host", "h.example"}}, regexp.MustCompile(`^host=h\.example `)
		}},
		{name: "user agent names the prober", path: "/echo", modify: func(c *Check) { c.Match = regexp.MustCompile(`ua=` + userAgent + `$`) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := testCheck(HTTP)
			c.Path = tc.path
			if tc.modify != nil {
				tc.modify(&c)
			}
			wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), tc.reason)
		})
	}
	if n := redirected.Load(); n != 0 {
		t.Errorf("redirect target fetched %d times, want 0", n)
	}
}

func TestHTTPProbeRefused(t *testing.T) {
	c := testCheck(HTTP)
	c.Path = "/"
	wantReason(t, runProbe(t, Target{Addr: closedPort(t, "tcp"), Check: c}), reasonRefused)
}

func TestHTTPProbeHungBackendTimesOut(t *testing.T) {
	hung := newHungServer(t)
	c := testCheck(HTTP)
	c.Path, c.Timeout = "/", 150*time.Millisecond
	start := time.Now()
	wantReason(t, runProbe(t, Target{Addr: hung.Addr().String(), Check: c}), reasonTimeout)
	if took := time.Since(start); took < c.Timeout || took > c.Timeout+time.Second {
		t.Errorf("hung probe took %s, want about the timeout %s", took, c.Timeout)
	}
}

func TestHTTPProbeOpensNoIdleConnections(t *testing.T) {
	var open atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)

	c := testCheck(HTTP)
	c.Path = "/"
	target := Target{Addr: srv.Listener.Addr().String(), Check: c}
	p := newProbe(target)
	defer p.close()
	for range 5 {
		wantReason(t, runOnce(p, c.Timeout), "")
	}
	poll.Until(t, "server sees every probe connection closed", 2*time.Second, func() bool { return open.Load() == 0 })
}
