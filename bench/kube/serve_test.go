package kube

import (
	"net/netip"
	"testing"
	"time"
)

// serve starts bin on corefile and waits, polling every pause, for the
// first answer for name that passes good; it starts again on other ports
// when one was taken meanwhile. It returns the server and when that answer
// came.
func serve(b *testing.B, bin string, corefile func(ports) string, name string, good func([]netip.Addr) bool, pause time.Duration) (*server, time.Time) {
	b.Helper()
	for attempt := 1; ; attempt++ {
		s := start(b, bin, corefile)
		// A minute: a start on a busy machine with 1,000 objects to list
		// takes far less, and a hung one must not hold the run.
		answered, err := waitAnswer(s, name, good, pause, time.Minute)
		if err == nil {
			return s, answered
		}
		if s.portTaken() && attempt < 3 {
			continue
		}
		s.stop(b)
		b.Fatalf("%v\n%s", err, s.out)
	}
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// mean is the mean of xs.
func mean(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}
