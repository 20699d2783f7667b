package zonemastertest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fatalTB records the Fatalf that ends Run, where testing.T would end the
// test, so that a test can check how a broken tool fails.
type fatalTB struct {
	testing.TB
	fatal string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fatalTB) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }

// runBroken runs the harness with tool standing in for zonemaster-cli and
// returns how it failed; it fails t if it did not.
func runBroken(t *testing.T, tool string) string {
	defer func(b string) { Binary = b }(Binary)
	Binary = tool
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(f, "gslb.example.com.", map[string]string{"ns1.gslb.example.com.": "127.0.0.1"})
	}()
	<-done
	if f.fatal == "" {
		t.Fatalf("Run with %s passed, want a failure", tool)
	}
	return f.fatal
}

// A missing zonemaster-cli fails the test, naming it: it is not a skip.
func TestRunFailsWithoutTool(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "zonemaster-cli")
	if got := runBroken(t, missing); !strings.Contains(got, missing) || !strings.Contains(got, ".ci/run") {
		t.Errorf("failure %q, want it to name %s and .ci/run", got, missing)
	}
}

// A tool that exits abnormally, or prints what does not parse, fails the
// test with everything it printed.
func TestRunFailsWithFullOutput(t *testing.T) {
	for script, want := range map[string]string{
		"echo '[{\"level\":\"INFO\"'; echo 'Died at CLI.pm' >&2; exit 255": "Died at CLI.pm",
		"echo 'Loading profile'; echo '[]'":                                "Loading profile",
	} {
		tool := filepath.Join(t.TempDir(), "zonemaster-cli")
		if err := os.WriteFile(tool, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		if got := runBroken(t, tool); !strings.Contains(got, want) || !strings.Contains(got, "--ns ns1.gslb.example.com/127.0.0.1") {
			t.Errorf("failure %q, want the command line and %q", got, want)
		}
	}
}
