package plugin

import (
	"bytes"
	"io"
	golog "log"
	"strings"
	"testing"

	clog "github.com/coredns/coredns/plugin/pkg/log"
	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"
)

// TestDebugLogSaysWhy: with debug on, each answer logs the client address
// used, the matched route, every pool's state and the pool chosen; with
// debug off, nothing is logged per query.
func TestDebugLogSaysWhy(t *testing.T) {
	var out bytes.Buffer
	golog.SetOutput(&out)
	defer golog.SetOutput(io.Discard)
	g, write := overrideGSLB(t, geoConfig(t))
	write("down us\n")
	g.OnStartup()
	defer g.OnShutdown()

	serveECS(t, g, &test.ResponseWriter{}, "geo.gslb.test.", dns.TypeA, subnet(1, "10.1.3.0", 24))
	if strings.Contains(out.String(), "geo.gslb.test.") {
		t.Fatalf("logged per query with debug off:\n%s", out.String())
	}
	clog.D.Set()
	defer clog.D.Clear()
	serveECS(t, g, &test.ResponseWriter{}, "geo.gslb.test.", dns.TypeA, subnet(1, "10.1.3.0", 24))
	got := out.String()
	for _, want := range []string{
		"[DEBUG] plugin/gslb: geo.gslb.test. A: client 10.1.3.0/24 (ECS)",
		"net (scope /16) → us",
		"pools in order: us (0 of 1 members up, min_healthy 1) eu (eligible)",
		"answer from pool eu, scope 16",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("debug log lacks %q:\n%s", want, got)
		}
	}
}
