// Package poll waits, in tests, for what background work makes true: a
// prober's verdict, a recompiled table, a reloaded file.
package poll

import (
	"testing"
	"time"
)

// Until calls cond every 5 ms until it holds, and fails t with what when
// it does not within the given time.
func Until(t testing.TB, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Closed reports whether ch is closed, without waiting: a first round that
// must be over at once, a worker that must have stopped.
func Closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
