package healthcheck

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// agentHeaderBackend is an HTTP server on loopback whose responses carry
// X-Agent: the value set last, none when it is "".
func agentHeaderBackend(t *testing.T) (*httptest.Server, *atomic.Pointer[string]) {
	var value atomic.Pointer[string]
	value.Store(new(string))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := *value.Load(); v != "" {
			w.Header().Set("X-Agent", v)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &value
}

func agentHeaderTarget(srv *httptest.Server) Target {
	c := testCheck(HTTP)
	c.Path, c.AgentHeader = "/", "x-agent"
	return Target{Addr: strings.TrimPrefix(srv.URL, "http://"), Check: c}
}

// The http probe reads agent_header's value as agent words.
func TestHTTPProbeReadsAgentHeader(t *testing.T) {
	srv, value := agentHeaderBackend(t)
	p := newProbe(agentHeaderTarget(srv))
	defer p.close()
	for _, tc := range []struct {
		header string
		want   Word
	}{
		{"75%", Word{Said: true, Weight: 0.75}},
		{"drain, 10%", Word{Said: true, Weight: 0.1, Drain: true}},
		{"down #maintenance", Word{Said: true, Weight: -1, Down: true, Reason: "maintenance"}},
		{"", Word{Weight: -1}}, // absent: says nothing
	} {
		value.Store(&tc.header)
		if err := runOnce(p, time.Second); err != nil {
			t.Fatalf("X-Agent %q: %v", tc.header, err)
		}
		if got := wordOf(p); got != tc.want {
			t.Errorf("X-Agent %q: word %+v, want %+v", tc.header, got, tc.want)
		}
	}
}

// Through a real prober: the header's weight, held while it is absent, and
// its down, at once.
func TestAgentHeaderThroughProber(t *testing.T) {
	srv, value := agentHeaderBackend(t)
	target := agentHeaderTarget(srv)
	target.Check.Fall = 20 // 2s of failures: a down sooner is the word's doing
	set := func(v string) { value.Store(&v) }
	set("30%")
	onChange, changed := changes()
	l := NewRegistry(8).Acquire([]Target{target}, onChange)
	defer l.Release()

	awaitState(t, l, target, changed, Up, 2*time.Second)
	if s := l.Status(target); s.Factors.Agent != 0.3 {
		t.Fatalf("X-Agent 30%%: %+v, want agent factor 0.3", s)
	}
	set("")
	time.Sleep(3 * target.Check.Interval)
	if s := l.Status(target); s.State != Up || s.Factors.Agent != 0.3 {
		t.Fatalf("X-Agent gone: %+v, want up, the weight held", s)
	}
	set("maint #deploy")
	start := time.Now()
	awaitState(t, l, target, changed, Down, 2*time.Second)
	if took, bound := time.Since(start), 2*target.Check.Interval+slack; took > bound {
		t.Errorf("down after %s, want at the first probe that hears it", took)
	}
	if s := l.Status(target); !strings.Contains(s.Err, "deploy") {
		t.Errorf("down: Err %q, want the reason", s.Err)
	}
	set("ready")
	awaitState(t, l, target, changed, Up, 2*time.Second)
}
