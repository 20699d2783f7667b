// Package stacktest measures how much goroutine stack a call uses, for
// tests of the DNS query path: miekg/dns serves every UDP query on a new
// goroutine whose stack starts at 2 KiB and is copied, frame by frame, each
// time it doubles, so a path that goes one doubling deeper than another
// pays that copy on every query.
//
// Frames differ under the race detector, so tests that compare against
// fixed bounds build with !race.
package stacktest

import (
	"runtime/debug"
	"testing"
	"unsafe"
)

const (
	// PadFrame is the stack each pad call takes, on amd64 and arm64: the
	// resolution of Headroom.
	PadFrame    = 64
	stackPadMax = 8 << 10 // never more than the grown stack
	growTo      = 6 << 10 // a frame this size grows a new stack to 8 KiB
)

// Headroom returns the most stack, in bytes of padding, that can be in use
// below a call of serve without serve growing an 8 KiB goroutine stack:
// the deeper serve's deepest point, the less headroom.
func Headroom(tb testing.TB, serve func()) int {
	tb.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // a GC may shrink, and so move, a stack
	lo, hi := 0, stackPadMax/PadFrame
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
	return lo * PadFrame
}

// grows reports whether serve, called under n pad frames on a new
// goroutine whose stack was grown to 8 KiB, grew the stack again, in each
// of a few tries: a call's own depth grows it every time, while what only
// sometimes lands on its stack (an asynchronous preemption's register
// save, on a loaded machine; a first call's lazy set-up) does not, and
// must not count as the call's depth.
func grows(n int, serve func()) bool {
	for range tries {
		if !growsOnce(n, serve) {
			return false
		}
	}
	return true
}

// tries is how many times grows must see the stack grow.
const tries = 3

// growsOnce is one try of grows: a local of the goroutine's first frame
// moves when its stack is copied.
func growsOnce(n int, serve func()) bool {
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
	var frame [PadFrame - 40]byte // with the return address, frame pointer and spill slots: PadFrame
	frame[n%len(frame)] = byte(n)
	if n == 0 {
		serve()
	} else {
		pad(n-1, serve)
	}
	padSink += frame[(n+1)%len(frame)]
}
