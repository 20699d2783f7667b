//go:build !race

// The race detector instruments every function and so changes every
// frame; what these tests hold is the stack of the server as built, so they
// run without it (.ci/run runs them so).

package plugin

import (
	"context"
	"runtime/debug"
	"testing"
	"unsafe"

	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/miekg/dns"
)

// miekg/dns serves every UDP query on a new goroutine, whose stack starts
// small and is copied each time it doubles. The profile of the built
// server showed that copy as a third of a query's CPU once gslb's path
// went one doubling deeper than hosts'. These tests measure the stack a
// handler uses, as a comparison with hosts in the same run.

// packingWriter packs each reply as miekg/dns's writer does, so the stack
// the packing takes counts where the handler writes from.
type packingWriter struct{ benchWriter }

func (w *packingWriter) WriteMsg(m *dns.Msg) error {
	w.last = m
	_, err := m.Pack()
	return err
}

// headroom returns the most stack, in bytes of padding, that can be in use
// below a call of serve without serve growing the goroutine's stack: the
// deeper serve's deepest point, the less headroom.
func headroom(tb testing.TB, serve func()) int {
	tb.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // a GC may shrink, and so move, a stack
	lo, hi := 0, stackPadMax/padFrame
	if grows(0, serve) {
		tb.Fatal("serve grows an 8 KiB stack with nothing below it")
	}
	for lo < hi { // the most padding frames that do not grow the stack
		mid := (lo + hi + 1) / 2
		if grows(mid, serve) {
			hi = mid - 1
		} else {
			lo = mid
		}
	}
	return lo * padFrame
}

const (
	padFrame    = 64      // bytes of stack per pad call, for amd64 and arm64
	stackPadMax = 8 << 10 // never more than the grown stack
	growTo      = 6 << 10 // a frame this size grows a new stack to 8 KiB
)

// grows reports whether serve, called under n pad frames on a new
// goroutine whose stack was grown to 8 KiB, grew the stack again: a local
// of the goroutine's first frame moves when its stack is copied.
func grows(n int, serve func()) bool {
	moved := make(chan bool)
	go func() {
		var marker byte
		growStack(int(padSink))
		before := uintptr(unsafe.Pointer(&marker))
		pad(n, serve)
		moved <- uintptr(unsafe.Pointer(&marker)) != before
	}()
	return <-moved
}

// padSink keeps the pad frames' arrays from being optimised away.
var padSink byte

//go:noinline
func growStack(i int) byte {
	var b [growTo]byte
	b[i] = 1
	return b[i/2]
}

//go:noinline
func pad(n int, serve func()) {
	var frame [padFrame - 40]byte // with the return address, frame pointer and spill slots: about padFrame
	frame[n%len(frame)] = byte(n)
	if n == 0 {
		serve()
	} else {
		pad(n-1, serve)
	}
	padSink += frame[(n+1)%len(frame)]
}

// TestServeDNSStackNoDeeperThanHosts holds gslb's answers to the stack
// the hosts plugin takes to answer the same query, within the measure's
// resolution (one pad frame), and a name gslb passes down to gslb's own
// two small frames. A GeoIP lookup is the one path allowed a little
// deeper.
func TestServeDNSStackNoDeeperThanHosts(t *testing.T) {
	w := &packingWriter{*newBenchWriter()}
	ctx := context.Background()
	serveWith := func(h coreplugin.Handler, r *dns.Msg) func() {
		return func() { h.ServeDNS(ctx, w, r) }
	}
	hosts := benchHosts(t)
	for _, bc := range benchCases(t) {
		if bc.name == "hosts" || bc.name == "whoami" || bc.answers < 0 {
			continue
		}
		// hosts gets the same question type and options for its own
		// name: an ECS query costs it the option's parsing too.
		q := bc.req.Copy()
		q.Question[0].Name = "app.gslb.test."
		base := headroom(t, serveWith(hosts, q))
		got := headroom(t, serveWith(bc.handler, bc.req))
		t.Logf("%s: %d bytes of headroom, hosts %d", bc.name, got, base)
		limit := base - padFrame
		if bc.name == "gslb/geo_geoip_ecs" {
			// Reading the database record takes maxminddb's cursor calls:
			// about 320 bytes more than hosts (geoip's own test bounds
			// Lookup).
			limit = base - 512
		}
		if got < limit {
			t.Errorf("%s: %d bytes of stack headroom, hosts has %d: gslb's path is deeper", bc.name, got, base)
		}
	}
	other := hostsFor(t, "example.org.", "www.example.org.")
	alone := headroom(t, serveWith(other, benchQuery("www.example.org.", dns.TypeA, "")))
	g := benchGSLB(t)
	g.Next = other
	passed := headroom(t, serveWith(g, benchQuery("www.example.org.", dns.TypeA, "")))
	t.Logf("passed down: %d bytes of headroom, hosts alone %d", passed, alone)
	// gslb's ServeDNS and next frames: about 130 bytes on amd64 (through
	// plugin.NextOrFailure, which the untraced path skips, 400).
	if passed < alone-192 {
		t.Errorf("passed down: %d bytes of stack headroom, hosts alone %d: gslb's frames grew", passed, alone)
	}
}
