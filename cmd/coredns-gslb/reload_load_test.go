package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadReloads is how many reloads TestReloadUnderLoad drives.
const loadReloads = 50

// TestReloadUnderLoad reloads the Corefile 50 times while dnsperf sends a
// steady UDP load and a client checks every answer: no query is lost or
// fails, health state carries over every reload (eu stays down, app stays
// on us), and goroutines and heap do not grow with the reloads.
func TestReloadUnderLoad(t *testing.T) {
	t.Parallel()
	dnsperf, err := exec.LookPath("dnsperf")
	if err != nil {
		t.Fatal("dnsperf is not installed: .ci/run installs it (apt-get install dnsperf)")
	}
	eu, us := newHTTPBackend(t), newHTTPBackend(t)
	metrics := freePort(t)
	corefile := strings.Replace(fmt.Sprintf(reloadCorefile, eu.port(), us.port()),
		"    reload 2s\n", "    reload 2s\n    prometheus 127.0.0.1:"+metrics+"\n", 1)
	s := startServer(t, corefile)
	path := s.corefilePath(t)
	base, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	eu.settled(t)
	us.settled(t)
	killed := time.Now()
	eu.kill(t)
	s.pollUntil(t, "app.gslb.test.", killed, failBound, fromUS, fromEU)

	loop := s.keepAsking(t, "app.gslb.test.", fromUS)
	perf := startDNSPerf(t, dnsperf, s.Addr, "app.gslb.test.", 40*time.Second)
	toggle := "        record toggle {\n            pools eu us\n            ttl 30\n        }\n"
	var goroutines, heap [2]float64
	for i := 1; i <= loadReloads; i++ {
		extra, want, was := "", "NXDOMAIN", fromUS
		if i%2 == 1 {
			extra, want, was = toggle, fromUS, "NXDOMAIN"
		}
		rewriteCorefile(t, path, string(base), extra)
		if err := syscall.Kill(s.pid, syscall.SIGUSR1); err != nil { // reload now, not at the next poll
			t.Fatal(err)
		}
		s.pollUntil(t, "toggle.gslb.test.", time.Now(), 10*time.Second, want, was)
		time.Sleep(50 * time.Millisecond) // serve a while on each configuration
		if i == 10 || i == loadReloads {
			fams := scrapeMetrics(t, metrics)
			at := min(i/loadReloads, 1)
			goroutines[at], _ = metricValue(fams, "go_goroutines")
			heap[at], _ = metricValue(fams, "go_memstats_heap_inuse_bytes")
		}
	}
	fams := scrapeMetrics(t, metrics)
	if loads, _ := metricValue(fams, "coredns_gslb_config_loads_total", "zone", "gslb.test."); loads < loadReloads+1 {
		t.Errorf("config_loads_total %v, want at least %d (the start and %d reloads)", loads, loadReloads+1, loadReloads)
	}
	if goroutines[1] > goroutines[0]+10 {
		t.Errorf("goroutines grew from %v after 10 reloads to %v after %d", goroutines[0], goroutines[1], loadReloads)
	}
	if heap[1] > 1.5*heap[0] {
		t.Errorf("heap in use grew from %.0f after 10 reloads to %.0f after %d", heap[0], heap[1], loadReloads)
	}
	t.Logf("after 10 and %d reloads: %v and %v goroutines, heap %.1f and %.1f MB", loadReloads, goroutines[0], goroutines[1], heap[0]/1e6, heap[1]/1e6)

	a := loop()
	for _, err := range a.errs[:min(len(a.errs), 10)] {
		t.Error(err)
	}
	if len(a.errs) > 0 {
		t.Errorf("%d of %d checked queries went wrong during the reloads", len(a.errs), a.n)
	}
	sent, completed, lost, noerror := perf.wait(t)
	// SIGINT ends dnsperf with its last queries in flight: sent but neither
	// completed nor lost, at most its 100 outstanding.
	if completed == 0 || lost != 0 || noerror != completed || sent-completed > 100 {
		t.Errorf("dnsperf: %d sent, %d completed, %d lost, %d NOERROR: want every query answered NOERROR\n%s", sent, completed, lost, noerror, perf.out.String())
	}
	t.Logf("dnsperf: %d queries answered during %d reloads, none lost; %d checked answers, all from us", completed, loadReloads, a.n)
}

// dnsperfRun is a dnsperf process sending a bounded load.
type dnsperfRun struct {
	cmd *exec.Cmd
	out strings.Builder
}

// startDNSPerf asks name A at 2000 queries/s for at most d.
func startDNSPerf(t *testing.T, dnsperf, addr, name string, d time.Duration) *dnsperfRun {
	host, port, _ := strings.Cut(addr, ":")
	queries := filepath.Join(t.TempDir(), "queries")
	if err := os.WriteFile(queries, []byte(name+" A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &dnsperfRun{}
	r.cmd = exec.Command(dnsperf, "-s", host, "-p", port, "-d", queries, "-l", strconv.Itoa(int(d.Seconds())), "-Q", "2000", "-t", "2")
	r.cmd.Stdout, r.cmd.Stderr = &r.out, &r.out
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if r.cmd.ProcessState == nil {
			r.cmd.Process.Signal(syscall.SIGINT) // ends it early, with a report
			r.cmd.Wait()
		}
	})
	return r
}

// wait stops dnsperf (it reports on SIGINT) and reads its report.
func (r *dnsperfRun) wait(t *testing.T) (sent, completed, lost, noerror int) {
	t.Helper()
	r.cmd.Process.Signal(syscall.SIGINT)
	r.cmd.Wait()
	out := r.out.String()
	number := func(re string) int {
		m := regexp.MustCompile(re).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("dnsperf output has no %q:\n%s", re, out)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return number(`Queries sent:\s+(\d+)`), number(`Queries completed:\s+(\d+)`), number(`Queries lost:\s+(\d+)`), number(`NOERROR (\d+)`)
}
