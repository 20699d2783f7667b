package control

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/internal/etcdtest"
	"github.com/gslb/gslb/policy"
)

// BenchmarkRefresh is the cost of one compile of 10,000 probed members
// alone and with a fleet store: the local votes handed to the ballot
// (unchanged, so nothing is written) and the view's tallies applied. Each
// prober probes its closed port once and then waits an hour, so nothing
// changes during the run.
func BenchmarkRefresh(b *testing.B) {
	for _, store := range []bool{false, true} {
		name := "local"
		if store {
			name = "store"
		}
		b.Run(name, func(b *testing.B) {
			cfg := manyMembers(100, 100)
			if store {
				st := &config.Store{Config: fleet.NewConfig([]string{etcdtest.Start(b).Endpoint()}, "bench")}
				cfg.Store = st
			}
			c := started(b, cfg)
			c.mu.Lock()
			lease, ballot := c.m.lease, c.m.ballot
			c.mu.Unlock()
			<-lease.FirstRound() // every member down (its port is closed), and so it stays
			if ballot != nil {
				<-ballot.Synced()
			}
			c.Refresh()
			time.Sleep(time.Second) // the writes of the first verdicts settle
			c.Refresh()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				c.Refresh()
			}
		})
	}
}

// manyMembers is pools × members probed over TCP, an hour apart.
func manyMembers(pools, members int) *config.Config {
	cfg := config.New([]string{"bench.test."})
	chk := healthcheck.NewCheck("tcp", healthcheck.TCP)
	chk.Interval = time.Hour
	cfg.Checks = []healthcheck.Check{chk}
	rec := config.NewRecord()
	rec.Names = []string{"app.bench.test."}
	for p := range pools {
		pool := config.NewPool(fmt.Sprintf("p%d", p))
		pool.Checks = []string{"tcp"}
		for m := range members {
			addr := netip.AddrFrom4([4]byte{10, byte(p), byte(m >> 8), byte(m)})
			pool.Members = append(pool.Members, policy.Member{Addr: addr, Weight: 1, Probe: fmt.Sprintf("127.0.0.1:%d", 20000+p*members+m)})
		}
		cfg.Pools = append(cfg.Pools, pool)
		rec.Pools = append(rec.Pools, pool.Name)
	}
	cfg.Records = []policy.Record{rec}
	return cfg
}
