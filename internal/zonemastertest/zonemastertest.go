// Package zonemastertest runs, for tests, an undelegated Zonemaster test
// (Debian's zonemaster-cli, which .ci/run installs) of a zone whose name
// servers listen on loopback, offline, and sorts its messages into those
// the test environment causes and the zone's problems. docs/zonemaster.md
// says how and why.
package zonemastertest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Binary is Debian's zonemaster-cli package; a variable only so that the
// package's own tests can stand a broken tool in for it.
var Binary = "/usr/bin/zonemaster-cli"

// profile shortens the resolver's timeouts from 5 s and 3 s between
// retries: every server is on loopback and answers within milliseconds,
// so a query unanswered after 2 s is dropped, and a zone whose server
// drops queries is reported in seconds rather than minutes.
const profile = `{"resolver": {"defaults": {"timeout": 2, "retry": 2, "retrans": 1}}}`

// Result is one run's messages, sorted.
type Result struct {
	Messages    []Message // every message at INFO and above, in order
	Environment []Message // those Environment sets aside
	Problems    []Message // the rest at FailLevel or above: the zone's
	Output      string    // the command line, its stdout and stderr
	Elapsed     time.Duration
}

// Run tests zone (such as "gslb.example.com.") with the given name
// servers, name → loopback IPv4 address, each answering on port 53. A
// stand-in root and parent, on an address of its own, stand for the
// Internet. A missing zonemaster-cli, an abnormal exit or output that
// does not parse fails t with the full output.
func Run(t testing.TB, zone string, ns map[string]string) *Result {
	t.Helper()
	if _, err := os.Stat(Binary); err != nil {
		t.Fatalf("%s: %v: this test runs Zonemaster for real; .ci/run installs Debian's zonemaster-cli package", Binary, err)
	}
	zone = dns.Fqdn(strings.ToLower(zone))
	rootAddr := Addrs(t, 1)[0]
	newRoot(t, zone, rootAddr, ns).serve(t, rootAddr)

	dir := t.TempDir()
	hints := filepath.Join(dir, "hints")
	prof := filepath.Join(dir, "profile.json")
	write(t, hints, fmt.Sprintf(". 3600000 NS %s\n%s 3600000 A %s\n", rootName, rootName, rootAddr))
	write(t, prof, profile)
	args := []string{"--json", "--level", "INFO", "--no-progress", "--no-ipv6",
		"--profile", prof, "--hints", hints}
	names := make([]string, 0, len(ns))
	for name := range ns {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		args = append(args, "--ns", strings.TrimSuffix(name, ".")+"/"+ns[name])
	}
	args = append(args, strings.TrimSuffix(zone, "."))

	// A run takes about a second; two minutes is a hang, not a slow run.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, Binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	began := time.Now()
	err := cmd.Run()
	r := &Result{Elapsed: time.Since(began)}
	r.Output = fmt.Sprintf("%s %s\nstdout:\n%s\nstderr:\n%s", Binary, strings.Join(args, " "), stdout.String(), stderr.String())
	if err != nil {
		t.Fatalf("zonemaster-cli: %v (after %s)\n%s", err, r.Elapsed.Round(time.Millisecond), r.Output)
	}
	if r.Messages, err = Parse(stdout.Bytes()); err != nil {
		t.Fatalf("%v\n%s", err, r.Output)
	}
	r.Environment, r.Problems = Classify(r.Messages)
	return r
}

// Check runs Zonemaster as Run does and fails t, listing them and the full
// output, if it reports problems of the zone's.
func Check(t testing.TB, zone string, ns map[string]string) *Result {
	t.Helper()
	r := Run(t, zone, ns)
	var below strings.Builder // the zone's notices: worth reading, not failing
	for _, m := range r.Messages {
		if m.Level == "NOTICE" && environmental(m) == nil {
			fmt.Fprintf(&below, "\n  %s", m)
		}
	}
	t.Logf("zonemaster-cli took %s: %d messages, %d of them the environment's (%s); below %s:%s",
		r.Elapsed.Round(time.Millisecond), len(r.Messages), len(r.Environment), strings.Join(Tags(), ", "), FailLevel, below.String())
	if len(r.Problems) > 0 {
		var b strings.Builder
		for _, m := range r.Problems {
			fmt.Fprintf(&b, "  %s\n", m)
		}
		t.Errorf("Zonemaster reports %d problems of zone %s at %s or above:\n%s\n%s", len(r.Problems), zone, FailLevel, b.String(), r.Output)
	}
	return r
}

func write(t testing.TB, path, text string) {
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
