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

	"github.com/gslb/gslb/policy"
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
		"answer from pool eu: 192.0.2.10, scope 16",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("debug log lacks %q:\n%s", want, got)
		}
	}
}

// The why-log says what was answered: the members chosen, NODATA, or the
// on_all_down action, as such.
func TestDebugLogAction(t *testing.T) {
	g := newTestGSLB(t, testConfig())
	a := &dns.A{Hdr: dns.RR_Header{Name: "app.gslb.test.", Rrtype: dns.TypeA, Class: dns.ClassINET}, A: []byte{192, 0, 2, 10}}
	for _, tc := range []struct {
		rec, pool int
		outcome   policy.Outcome
		allDown   bool
		m         *dns.Msg
		want      string
	}{
		{0, 0, policy.Answered, false, &dns.Msg{Answer: []dns.RR{a}}, "answer from pool eu: 192.0.2.10"},
		{0, -1, policy.NoData, false, nil, "NODATA: no member of this family"},
		{2, -1, policy.PassDown, true, nil, "all down, on_all_down fallthrough: passed to the next plugin"},
		{0, 0, policy.Answered, true, &dns.Msg{Answer: []dns.RR{a}}, "all down, on_all_down all: answer from pool eu: 192.0.2.10"},
	} {
		if got := g.action(tc.rec, tc.pool, tc.outcome, tc.allDown, tc.m); got != tc.want {
			t.Errorf("action %q, want %q", got, tc.want)
		}
	}
}
