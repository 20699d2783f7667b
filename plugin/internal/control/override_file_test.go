package control

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/internal/poll"
	"github.com/gslb/gslb/plugin/internal/metrics"
)

// watched is a controller of twoPools whose override file, at path, holds
// content (none when empty), polled every 2ms once started.
func watched(t *testing.T, content string) (c *Controller, path string) {
	t.Helper()
	cfg := twoPools()
	path = filepath.Join(t.TempDir(), "overrides")
	cfg.Override = path
	if content != "" {
		replace(t, path, content)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, path
}

func start(t *testing.T, c *Controller) {
	t.Helper()
	c.Start(healthcheck.NewRegistry(1), nil, nil, 2*time.Millisecond)
	t.Cleanup(c.Stop)
}

// replace swaps a new file in at path, the way a ConfigMap update does.
func replace(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func (c *Controller) euDrained() bool { return c.Load().Health.At(0, 0).Drained }

func (c *Controller) overrideErrors() float64 {
	return testutil.ToFloat64(metrics.OverrideLoads.WithLabelValues(c.zone, "error"))
}

// settle waits until want errors more than before are counted, then for
// dozens of polls more, and fails unless exactly want are.
func settle(t *testing.T, c *Controller, what string, before, want float64) {
	t.Helper()
	poll.Until(t, what+" counted", 10*time.Second, func() bool { return c.overrideErrors()-before >= want })
	time.Sleep(100 * time.Millisecond)
	if got := c.overrideErrors() - before; got != want {
		t.Fatalf("%s: %v errors counted, want %v", what, got, want)
	}
}

// A rejected file is logged and counted once, not on every poll that finds
// it; the overrides in force stay.
func TestRejectedOverrideFileReportedOnce(t *testing.T) {
	c, path := watched(t, "drain eu\n")
	start(t, c)
	if !c.euDrained() {
		t.Fatal("drain eu not in force after Start")
	}
	before := c.overrideErrors()
	replace(t, path, "drain eu\nevacuate us\n")
	settle(t, c, "a bad line", before, 1)
	replace(t, path, "drain eu\nevacuate us\n")
	settle(t, c, "the same bad file again", before, 1)
	replace(t, path, "drain asia\n")
	settle(t, c, "another bad file", before, 2)
	if !c.euDrained() {
		t.Fatal("drain eu lifted by a rejected file")
	}
}
