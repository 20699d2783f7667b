package kube

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/kubetest"
)

// settle is how long a started server runs before its VmRSS is read: past
// the start's garbage and the first compile.
const settle = time.Second

// staticStartup holds the static sub-benchmark's means, the discovered
// one's baseline. Go runs sub-benchmarks one after the other, so the two
// could only alternate start by start inside one benchmark, which would
// blur what each reports; static runs first instead, in the same process
// and beside the same API server (idle for it), seconds before.
var staticStartup struct{ ms, rss float64 }

// BenchmarkStartup measures exec to the first answer, and VmRSS, with the
// 1,000 addresses as member lines (static) and from 1,000 LoadBalancer
// Services selected by label (discovered).
func BenchmarkStartup(b *testing.B) {
	bin := binary(b)
	c := kubetest.Start(b)
	began := time.Now()
	if err := createServices(c.Client); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d Services with ready EndpointSlices written in %v", services, time.Since(began).Round(time.Millisecond))
	want := memberSet()

	b.Run("static", func(b *testing.B) {
		toAnswer, rss := startups(b, bin, staticCorefile, want)
		staticStartup.ms, staticStartup.rss = toAnswer, rss
	})
	b.Run("discovered", func(b *testing.B) {
		toAnswer, rss := startups(b, bin, discoveredCorefile(c.Kubeconfig), want)
		if staticStartup.ms == 0 {
			b.Log("no static start-up in this run (run BenchmarkStartup whole): no ratios")
			return
		}
		b.ReportMetric(toAnswer/staticStartup.ms, "ratio-ms-to-static")
		b.ReportMetric(rss/staticStartup.rss, "ratio-RSS-to-static")
	})
}

// startups starts the server b.N times, after one start that is not
// counted (the binary and the API server's caches warm), reports the means
// and returns those of the time to the first answer, ms, and of VmRSS, MiB.
func startups(b *testing.B, bin string, corefile func(ports) string, want map[netip.Addr]bool) (toAnswer, rss float64) {
	startup(b, bin, corefile, want, false)
	var answers, cpu, members, rssAll []float64
	for b.Loop() {
		r := startup(b, bin, corefile, want, true)
		answers, cpu, members, rssAll = append(answers, r.toAnswer), append(cpu, r.cpu), append(members, r.toMembers), append(rssAll, r.rss)
	}
	b.Logf("ms-to-answer %.0f-%.0f, RSS %.1f-%.1f MiB over %d starts", slices.Min(answers), slices.Max(answers), slices.Min(rssAll), slices.Max(rssAll), len(answers))
	b.ReportMetric(mean(answers), "ms-to-answer")
	b.ReportMetric(mean(cpu), "cpu-ms-to-answer")
	b.ReportMetric(mean(members), "ms-to-all-members")
	b.ReportMetric(mean(rssAll), "RSS-MB")
	return mean(answers), mean(rssAll)
}

// started is one start's figures.
type started struct {
	toAnswer  float64 // ms from exec to the first answer with members of pool eu
	cpu       float64 // the server's CPU ms by then
	toMembers float64 // ms from exec to the status API listing all of them up
	rss       float64 // VmRSS, MiB, settle later
}

// startup is one start, measured when measure is set. Only the start to
// the first answer is timed: ns/op is about that.
func startup(b *testing.B, bin string, corefile func(ports) string, want map[netip.Addr]bool, measure bool) (r started) {
	b.Helper()
	s, answered := serve(b, bin, corefile, "app.bench.test.", among(want), 5*time.Millisecond)
	b.StopTimer()
	r.cpu = s.cpuMS(b)
	defer b.StartTimer()
	defer s.stop(b)
	listed, err := waitMembers(s, "eu", want, 30*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	if !measure {
		return
	}
	time.Sleep(settle)
	r.toAnswer, r.toMembers, r.rss = ms(answered.Sub(s.started)), ms(listed.Sub(s.started)), s.rssMiB(b)
	return r
}
