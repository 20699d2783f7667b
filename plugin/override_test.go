package plugin

import (
	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/internal/poll"
	"github.com/gslb/gslb/plugin/internal/metrics"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// overrideGSLB runs a failover record eu → us with an override file that
// the test writes, polled every 5ms.
func overrideGSLB(t *testing.T, cfg *config.Config) (*GSLB, func(string)) {
	path := filepath.Join(t.TempDir(), "overrides")
	cfg.Override = path
	g := newTestGSLB(t, cfg)
	g.overridePoll = 5 * time.Millisecond
	write := func(content string) {
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(tmp, time.Now(), time.Now().Add(time.Duration(time.Now().UnixNano()%1e6)))
		if err := os.Rename(tmp, path); err != nil { // the way a ConfigMap update swaps files
			t.Fatal(err)
		}
	}
	return g, write
}

func answersWith(t *testing.T, g *GSLB, want string) func() bool {
	return func() bool { ip, _ := answer(t, g); return ip == want }
}

func TestOverrides(t *testing.T) {
	g, write := overrideGSLB(t, testConfig())
	if err := g.OnStartup(); err != nil { // no file yet: no overrides
		t.Fatal(err)
	}
	defer g.OnShutdown()
	if ip, _ := answer(t, g); ip != "192.0.2.10" {
		t.Fatalf("without overrides: %s, want eu's 192.0.2.10", ip)
	}
	write("drain eu\n")
	poll.Until(t, "drain eu moves traffic to us", time.Second, answersWith(t, g, "198.51.100.10"))
	if v := testutil.ToFloat64(memberOverride.WithLabelValues("gslb.test.", "eu", "192.0.2.10", "drain")); v != 1 {
		t.Errorf("member_override drain = %v, want 1", v)
	}

	errorsBefore := testutil.ToFloat64(metrics.OverrideLoads.WithLabelValues("gslb.test.", "error"))
	write("drain eu\nevacuate us\n")
	poll.Until(t, "the bad file is counted", time.Second, func() bool {
		return testutil.ToFloat64(metrics.OverrideLoads.WithLabelValues("gslb.test.", "error")) > errorsBefore
	})
	if ip, _ := answer(t, g); ip != "198.51.100.10" {
		t.Fatalf("after a bad file: %s, want the previous overrides kept (us)", ip)
	}

	write("down us/198.51.100.10\n")
	poll.Until(t, "drain lifted", time.Second, answersWith(t, g, "192.0.2.10"))

	write("drain eu\ndown us\n")
	// The previous file answered eu too: the halved TTL tells the new one.
	poll.Until(t, "a drained pool serves, TTL halved, when nothing else is up", time.Second, func() bool {
		ip, ttl := answer(t, g)
		return ip == "192.0.2.10" && ttl == config.DefaultTTL/2
	})

	os.Remove(g.cfg.Override)
	write("drain eu\n")
	poll.Until(t, "a file back after removal is read again", time.Second, answersWith(t, g, "198.51.100.10"))
	os.Remove(g.cfg.Override)
	poll.Until(t, "removing the file lifts every override", time.Second, answersWith(t, g, "192.0.2.10"))
}

func TestOverrideForcesStateOverProbes(t *testing.T) {
	eu, us := newBackend(t), newBackend(t)
	eu.healthy.Store(false)
	g, write := overrideGSLB(t, healthConfig(t, eu, us))
	g.registry = healthcheck.NewRegistry(4)
	g.OnStartup()
	defer g.OnShutdown()
	poll.Until(t, "eu down by its probe", time.Second, answersWith(t, g, "198.51.100.10"))
	write("up eu\n")
	poll.Until(t, "up eu forces it back", time.Second, answersWith(t, g, "192.0.2.10"))
	write("down eu\n")
	eu.healthy.Store(true)
	time.Sleep(200 * time.Millisecond) // probes see eu healthy: the override must win
	if ip, _ := answer(t, g); ip != "198.51.100.10" {
		t.Fatalf("down eu with a healthy probe: %s, want us", ip)
	}
}

func TestOverrideWeightShiftsTraffic(t *testing.T) {
	cfg := testConfig()
	cfg.Records[0].Policy = policy.Weighted
	g, write := overrideGSLB(t, cfg)
	write("weight eu 9\nweight us 1\n")
	g.OnStartup()
	defer g.OnShutdown()
	eu := 0
	for range 2000 {
		if ip, _ := answer(t, g); ip == "192.0.2.10" {
			eu++
		}
	}
	if eu < 1700 || eu > 1900 {
		t.Fatalf("eu got %d of 2000 answers, want about 1800 (weight 9 of 10)", eu)
	}
	if v := testutil.ToFloat64(poolWeight.WithLabelValues("gslb.test.", "eu", "effective")); v != 9 {
		t.Errorf("pool_weight effective = %v, want 9", v)
	}
}
