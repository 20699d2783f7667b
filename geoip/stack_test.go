//go:build !race

// The race detector instruments every function and so changes every
// frame; what this test holds is the stack of the server as built, so it
// runs without it, as plugin/stack_test.go does.

package geoip

import (
	"net/netip"
	"runtime/debug"
	"testing"
	"unsafe"
)

// Lookup runs on the DNS query path, on miekg/dns's new goroutine per UDP
// query, whose stack starts at 2 KiB and is copied each time it doubles.
// These helpers are plugin/stack_test.go's: headroom is the most padding
// that can sit below a call without the call growing an 8 KiB stack.

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
// goroutine whose stack was grown to 8 KiB, grew the stack again.
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

var padSink byte

//go:noinline
func growStack(i int) byte {
	var b [growTo]byte
	b[i] = 1
	return b[i/2]
}

//go:noinline
func pad(n int, serve func()) {
	var frame [padFrame - 40]byte
	frame[n%len(frame)] = byte(n)
	if n == 0 {
		serve()
	} else {
		pad(n-1, serve)
	}
	padSink += frame[(n+1)%len(frame)]
}

// minHeadroom: with go1.26 on amd64 a full City record leaves 6,272 bytes
// (an ASN record 6,336, a miss 6,400), where this harness alone leaves
// 7,104: Lookup uses about 830 bytes. The reflection decoder it replaced
// left 4,288 here, and no headroom at all on the plugin's query path. The
// bound keeps two pad frames of margin for compiler and library changes.
const minHeadroom = 6 << 10

func TestLookupStack(t *testing.T) {
	db := benchDB(t)
	for _, a := range []string{"192.0.2.1", "198.51.100.1", "10.1.2.3"} { // City, ASN, none
		addr := netip.MustParseAddr(a)
		got := headroom(t, func() { db.Lookup(addr) })
		t.Logf("Lookup(%s): %d bytes of headroom in an 8 KiB stack", addr, got)
		if got < minHeadroom {
			t.Errorf("Lookup(%s) leaves %d bytes of headroom, want at least %d", addr, got, minHeadroom)
		}
	}
}
