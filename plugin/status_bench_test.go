package plugin

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"testing"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/plugin/internal/status"
	"github.com/gslb/gslb/policy"
)

// BenchmarkStatus measures a /v1/status report of 1,000 members (100
// pools of 10) and its JSON, and an explain: what an operator's request
// costs, on the listener's goroutine, never the query path's.
func BenchmarkStatus(b *testing.B) {
	cfg := config.New([]string{"gslb.test."})
	var pools []string
	for p := range 100 {
		pool := policy.Pool{Name: fmt.Sprintf("p%d", p), Weight: 1, MinHealthy: 1}
		for m := range 10 {
			pool.Members = append(pool.Members, policy.Member{Addr: netip.AddrFrom4([4]byte{10, 0, byte(p), byte(m + 1)}), Weight: 1})
		}
		cfg.Pools = append(cfg.Pools, pool)
		pools = append(pools, pool.Name)
	}
	cfg.Records = []policy.Record{{Names: []string{"app.gslb.test."}, Pools: pools, Answers: 1}}
	g := newTestGSLB(b, cfg)
	b.Run("report", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(g.Status()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("explain", func(b *testing.B) {
		b.ReportAllocs()
		q := status.Query{Name: "app.gslb.test.", Type: dns.TypeA, Client: "192.0.2.0/24", Subnet: true, Resolver: "127.0.0.1"}
		for b.Loop() {
			if _, err := g.Explain(q); err != nil {
				b.Fatal(err)
			}
		}
	})
}
