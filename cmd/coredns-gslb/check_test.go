package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// checkResult is what a run of the binary with -check gave.
type checkResult struct {
	code           int
	stdout, stderr string
}

// runChecker runs the binary with -check -conf Corefile in a directory
// holding corefile and files (name → content), so the messages name the
// files as the Corefile does.
func runChecker(t *testing.T, corefile string, files map[string]string) checkResult {
	t.Helper()
	dir := t.TempDir()
	files = mapWith(files, "Corefile", corefile)
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return runCheckerIn(t, dir, "-check", "-conf", "Corefile")
}

// runCheckerIn runs the binary with args from dir: a check must be done
// well within a few seconds, since it starts nothing.
func runCheckerIn(t *testing.T, dir string, args ...string) checkResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := checkResult{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%s %v: %v\n%s", binary, args, err, r.stderr)
	}
	if ctx.Err() != nil {
		t.Fatalf("%s %v did not exit within 30s", binary, args)
	}
	return r
}

func mapWith(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for name, content := range m {
		out[name] = content
	}
	return out
}

// errorLines are the lines of stderr that are not the plugins' log lines
// ([WARNING] and the like): the check's errors.
func (r checkResult) errorLines() []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if l != "" && !strings.HasPrefix(l, "[") {
			lines = append(lines, l)
		}
	}
	return lines
}

// stanza is a gslb stanza with one pool, eu, and one record, app, of
// policy; extra lines go first, pool lines in eu and record lines in app.
func stanza(extra, policy, poolLines, recordLines string) string {
	return `    gslb {
` + extra + `
        pool eu {
            member 192.0.2.10
` + poolLines + `
        }
        record app {
            policy ` + policy + `
            pools eu
` + recordLines + `
        }
    }
`
}

// TestCheckFlag: -check is ours, not one of CoreDNS's flags, and -help
// lists it beside them.
func TestCheckFlag(t *testing.T) {
	r := runCheckerIn(t, t.TempDir(), "-help")
	for _, flag := range []string{"-check", "-conf", "-plugins", "-dns.port"} {
		if !strings.Contains(r.stderr, "  "+flag+"\n") && !strings.Contains(r.stderr, "  "+flag+" ") {
			t.Errorf("-help does not list %s:\n%s", flag, r.stderr)
		}
	}
}
