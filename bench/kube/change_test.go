package kube

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/gslb/gslb/internal/kubetest"
)

// watchBaseline is the watch sub-benchmark's mean, ms: the answer one's
// baseline, measured just before in the same process, against the same
// server with the same binary running.
var watchBaseline float64

// targetAddr is the i-th address Service bench/target's load balancer
// gets: loopback, answer data only.
func targetAddr(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{127, 11, byte(i / 250 % 256), byte(i%250 + 1)})
}

// target is Service bench/target as last written, and its changes.
type target struct {
	client kubernetes.Interface
	svc    *corev1.Service
	n      int // changes so far: its address is targetAddr(n)
}

// change writes the next address as the Service's load balancer status,
// and returns it and the time just before the write.
func (t *target) change(b *testing.B) (netip.Addr, time.Time) {
	b.Helper()
	t.n++
	ip := targetAddr(t.n)
	began := time.Now()
	svc, err := setIngress(t.client, t.svc, ip)
	if err != nil {
		b.Fatal(err)
	}
	t.svc = svc
	return ip, began
}

// BenchmarkStatusToAnswer measures the time from UpdateStatus of a
// Service's load balancer address to the benchmark's own informer seeing
// it (watch), and to the binary's answer for a record of only that Service
// having it (answer), with the 1,000 Services in another pool.
func BenchmarkStatusToAnswer(b *testing.B) {
	bin := binary(b)
	c := kubetest.Start(b)
	if err := createServices(c.Client); err != nil {
		b.Fatal(err)
	}
	svc, err := createService(c.Client, "target", map[string]string{"app": "target"}, targetAddr(0))
	if err != nil {
		b.Fatal(err)
	}
	if err := readySlice(c.Client, "target"); err != nil {
		b.Fatal(err)
	}
	tg := &target{client: c.Client, svc: svc}
	events := watchService(b, c.Client, "target")
	s, _ := serve(b, bin, targetCorefile(c.Kubeconfig), "target.bench.test.", only(targetAddr(0)), 5*time.Millisecond)
	b.Cleanup(func() { s.stop(b) })
	if _, err := waitMembers(s, "eu", memberSet(), 30*time.Second); err != nil {
		b.Fatal(err)
	}

	b.Run("watch", func(b *testing.B) {
		var took []float64
		for b.Loop() {
			ip, began := tg.change(b)
			took = append(took, ms(waitSeen(b, events, ip).Sub(began)))
			b.StopTimer()
			answered(b, s, ip) // the next change starts from a server at rest
			rest()
			b.StartTimer()
		}
		watchBaseline = spread(b, "ms-to-event", took)
	})
	b.Run("answer", func(b *testing.B) {
		var took, afterEvent []float64
		for b.Loop() {
			ip, began := tg.change(b)
			at := answered(b, s, ip)
			b.StopTimer()
			took = append(took, ms(at.Sub(began)))
			afterEvent = append(afterEvent, ms(at.Sub(waitSeen(b, events, ip))))
			rest()
			b.StartTimer()
		}
		m := spread(b, "ms-to-answer", took)
		b.ReportMetric(mean(afterEvent), "ms-after-event")
		if watchBaseline == 0 {
			b.Log("no watch baseline in this run (run BenchmarkStatusToAnswer whole): no ratio")
			return
		}
		b.ReportMetric(m/watchBaseline, "ratio-to-watch")
	})
}

// answered polls record target every 2 ms until it answers ip, and
// returns when it did.
func answered(b *testing.B, s *server, ip netip.Addr) time.Time {
	b.Helper()
	at, err := waitAnswer(s, "target.bench.test.", only(ip), 2*time.Millisecond, 10*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	return at
}

// rest waits 50-150 ms between changes, so that no change meets the last
// one's work, and none falls in step with a periodic one.
func rest() { time.Sleep(50*time.Millisecond + rand.N(100*time.Millisecond)) }

// median is the median of sorted.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// spread reports the mean of took as unit, with its median and maximum,
// logs the range, and returns the mean.
func spread(b *testing.B, unit string, took []float64) float64 {
	sorted := slices.Sorted(slices.Values(took))
	b.ReportMetric(mean(took), unit)
	b.ReportMetric(median(sorted), unit+"-p50")
	b.ReportMetric(sorted[len(sorted)-1], unit+"-max")
	b.Logf("%s over %d changes: %.1f-%.1f", unit, len(took), sorted[0], sorted[len(sorted)-1])
	return mean(took)
}
