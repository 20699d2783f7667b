package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// drillCorefile: a weighted record over eu and us with an override file.
const drillCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    prometheus 127.0.0.1:%[1]s
    gslb {
        override %[2]s
        pool eu {
            member 192.0.2.10
            weight 3
        }
        pool us {
            member 198.51.100.10
            weight 1
        }
        record app {
            policy weighted
            pools eu us
        }
    }
}
`

// TestDrainDrill follows README's drain drill: traffic moves off eu in
// steps by override weights, then a drain, watched in the metrics, and
// comes back when the file is removed.
func TestDrainDrill(t *testing.T) {
	t.Parallel()
	metrics := freePort(t)
	overrides := filepath.Join(t.TempDir(), "overrides")
	s := startServer(t, fmt.Sprintf(drillCorefile, metrics, overrides))
	write := func(content string) {
		tmp := overrides + ".new"
		if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, overrides); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		file               string  // "" removes the file
		weightEU, weightUS float64 // effective weights in pool_weight
		shareEU            float64 // expected share of answers from eu
	}{
		{"", 3, 1, 0.75},
		{"weight eu 1\nweight us 3\n", 1, 3, 0.25},
		{"weight eu 1\nweight us 20\n", 1, 20, 1.0 / 21},
		{"drain eu\nweight eu 1\nweight us 20\n", 1, 20, 0},
		{"", 3, 1, 0.75},
	}
	for i, step := range steps {
		if step.file == "" {
			os.Remove(overrides)
		} else {
			write(step.file)
		}
		deadline := time.Now().Add(15 * time.Second) // the file is polled every 5s
		for {
			fams := scrapeMetrics(t, metrics)
			eu, _ := metricValue(fams, "coredns_gslb_pool_weight", "pool", "eu", "source", "effective")
			us, _ := metricValue(fams, "coredns_gslb_pool_weight", "pool", "us", "source", "effective")
			drained, _ := metricValue(fams, "coredns_gslb_member_override", "pool", "eu", "override", "drain")
			if eu == step.weightEU && us == step.weightUS && (drained == 1) == (step.shareEU == 0) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("step %d: pool_weight eu %v us %v, drain %v; want %v %v within 15s", i, eu, us, drained, step.weightEU, step.weightUS)
			}
			time.Sleep(100 * time.Millisecond)
		}
		const n = 1000
		eu := 0
		for range n {
			r := s.query(t, "udp", "app.gslb.test.", dns.TypeA, false)
			if len(r.Answer) == 1 && r.Answer[0].(*dns.A).A.String() == "192.0.2.10" {
				eu++
			}
		}
		if share := float64(eu) / n; share < step.shareEU-0.05 || share > step.shareEU+0.05 {
			t.Errorf("step %d (%q): eu answered %.3f, want %.3f ± 0.05", i, step.file, share, step.shareEU)
		}
	}
}
