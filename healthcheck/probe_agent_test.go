package healthcheck

import (
	"net"
	"strings"
	"testing"
	"time"
)

// runAgent probes addr once and returns the verdict and the word read.
func runAgent(t *testing.T, addr string) (Word, error) {
	t.Helper()
	p := newProbe(agentTarget(addr))
	defer p.close()
	err := runOnce(p, agentTarget(addr).Check.Timeout)
	return wordOf(p), err
}

// Each reply of the protocol comes back as its Word, and the probe succeeds.
func TestAgentProbeReadsTheWord(t *testing.T) {
	for _, tc := range []struct {
		reply string
		want  Word
	}{
		{"75%\n", Word{Said: true, Weight: 0.75}},
		{"drain\n", Word{Said: true, Weight: -1, Drain: true}},
		{"down #maintenance\r\n", Word{Said: true, Weight: -1, Down: true, Reason: "maintenance"}},
		{"up\n", Word{Said: true, Weight: -1, Up: true}},
		{"ready 50%\n", Word{Said: true, Weight: 0.5, Up: true}},
		{"up, 20%\tdrain\n", Word{Said: true, Weight: 0.2, Up: true, Drain: true}},
		{"maxconn:10 hello\n", Word{Weight: -1}},
		{"%%%\n", Word{Weight: -1}},
		{"\n", Word{Weight: -1}},                                       // says nothing, but answered
		{"40%", Word{Said: true, Weight: 0.4}},                         // ended by the close, as HAProxy takes it
		{strings.Repeat("x", maxAgentLine) + "\r\n", Word{Weight: -1}}, // the longest line allowed
	} {
		got, err := runAgent(t, newAgentServer(t, tc.reply).addr)
		if err != nil {
			t.Errorf("reply %.20q: probe failed: %v", tc.reply, err)
		}
		if got != tc.want {
			t.Errorf("reply %.20q: word %+v, want %+v", tc.reply, got, tc.want)
		}
	}
}

// An agent that cannot be read fails the probe with a reason, and the
// probe's word is zero: nothing was said.
func TestAgentProbeFailures(t *testing.T) {
	long := newAgentServer(t, strings.Repeat("9", maxAgentLine+1)+"%\n")
	endless := serveConns(t, func(c net.Conn) { // > 1 KiB without a line end, then holds on
		c.Write([]byte(strings.Repeat("x", 4*maxAgentLine)))
		time.Sleep(time.Second)
		c.Close()
	})
	silent := newAgentServer(t, "") // closes at once
	for _, tc := range []struct{ name, addr, reason string }{
		{"oversized line", long.addr, reasonError},
		{"oversized, no line end", endless, reasonError},
		{"closes at once", silent.addr, reasonError},
		{"refused", closedPort(t, "tcp"), reasonRefused},
	} {
		w, err := runAgent(t, tc.addr)
		wantReason(t, err, tc.reason)
		if w != (Word{}) {
			t.Errorf("%s: word %+v after a failed run, want none", tc.name, w)
		}
	}
}

// An agent that accepts and never writes fails the probe by its timeout,
// not later.
func TestAgentProbeHungAgentTimesOut(t *testing.T) {
	h := newHungServer(t)
	start := time.Now()
	_, err := runAgent(t, h.Addr().String())
	wantReason(t, err, reasonTimeout)
	if timeout, took := testCheck(Agent).Timeout, time.Since(start); took > timeout+slack {
		t.Errorf("hung agent: probe took %s, timeout %s", took, timeout)
	}
}
