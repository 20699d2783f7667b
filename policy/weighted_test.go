package policy

import (
	"fmt"
	"net"
	"testing"
)

const draws = 40000

func TestWeightedPools(t *testing.T) {
	pools := []Pool{
		testPool("blue", 9, member("192.0.2.10", 1)),
		testPool("green", 1, member("198.51.100.10", 1)),
	}
	table := compile(t, pools, Record{Policy: Weighted, Pools: []string{"blue", "green"}}, AllUp{})
	got := shares(table, IPv4, client("127.0.0.1"), draws)
	within(t, "blue", got["192.0.2.10"], draws, 0.9, 0.01)
	within(t, "green", got["198.51.100.10"], draws, 0.1, 0.01)
}

func TestWeightedPoolDownShiftsAll(t *testing.T) {
	pools := []Pool{
		testPool("blue", 9, member("192.0.2.10", 1)),
		testPool("green", 1, member("198.51.100.10", 1)),
	}
	table := compile(t, pools, Record{Policy: Weighted, Pools: []string{"blue", "green"}}, downSet{"blue/192.0.2.10": true})
	buf := make([]net.IP, 0, 1)
	reduced := 0
	for range 1000 {
		a := table.Choose(0, IPv4, client("127.0.0.1"), buf)
		if a.Pool != "green" {
			t.Fatalf("answered from %q while blue is down", a.Pool)
		}
		if a.Reduced {
			reduced++
		}
	}
	// Reduced exactly when blue would have been chosen: about 90%.
	within(t, "reduced TTL answers", reduced, 1000, 0.9, 0.05)
}

func TestMemberWeights(t *testing.T) {
	pools := []Pool{testPool("eu", 1, member("192.0.2.10", 3), member("192.0.2.11", 1))}
	for _, sel := range []Select{Random} {
		table := compile(t, pools, Record{Pools: []string{"eu"}, Select: sel}, AllUp{})
		got := shares(table, IPv4, client("127.0.0.1"), draws)
		within(t, "weight 3", got["192.0.2.10"], draws, 0.75, 0.01)
		within(t, "weight 1", got["192.0.2.11"], draws, 0.25, 0.01)
	}
}

func TestSlowMemberGetsLess(t *testing.T) {
	pools := []Pool{testPool("eu", 1, member("192.0.2.10", 1), member("192.0.2.11", 1))}
	table := compile(t, pools, Record{Pools: []string{"eu"}}, slowSet{"eu/192.0.2.10": true})
	got := shares(table, IPv4, client("127.0.0.1"), draws)
	within(t, "slow member", got["192.0.2.10"], draws, 1.0/3, 0.01)
}

func TestAnswersDistinctMembers(t *testing.T) {
	pools := []Pool{testPool("eu", 1, member("192.0.2.10", 1), member("192.0.2.11", 1), member("192.0.2.12", 1))}
	table := compile(t, pools, Record{Pools: []string{"eu"}, Answers: 2}, downSet{"eu/192.0.2.12": true})
	for range 200 {
		a := table.Choose(0, IPv4, client("127.0.0.1"), make([]net.IP, 0, 2))
		if len(a.IPs) != 2 || a.IPs[0].Equal(a.IPs[1]) {
			t.Fatalf("answers 2 gave %v, want two distinct members", a.IPs)
		}
		for _, ip := range a.IPs {
			if ip.String() == "192.0.2.12" {
				t.Fatalf("answered the member that is down: %v", a.IPs)
			}
		}
	}
}

func TestHashIsStickyPerSubnet(t *testing.T) {
	var members []Member
	for i := range 8 {
		members = append(members, member(fmt.Sprintf("192.0.2.%d", 10+i), 1))
	}
	pools := []Pool{testPool("eu", 1, members...)}
	rec := Record{Pools: []string{"eu"}, Select: Hash}
	table := compile(t, pools, rec, AllUp{})
	buf := make([]net.IP, 0, 1)
	first := map[string]string{}
	spread := map[string]bool{}
	for i := range 256 {
		subnet := fmt.Sprintf("10.%d.%d.", i/16, i%16)
		a := table.Choose(0, IPv4, client(subnet+"1"), buf).IPs[0].String()
		b := table.Choose(0, IPv4, client(subnet+"200"), buf).IPs[0].String()
		if a != b {
			t.Fatalf("subnet %s0/24: %s and %s, want one member for the whole /24", subnet, a, b)
		}
		first[subnet] = a
		spread[a] = true
	}
	if len(spread) != 8 {
		t.Fatalf("256 subnets used %d of 8 members", len(spread))
	}
	// One member goes down: only its own subnets move.
	down := compile(t, pools, rec, downSet{"eu/192.0.2.13": true})
	for subnet, was := range first {
		now := down.Choose(0, IPv4, client(subnet+"1"), buf).IPs[0].String()
		if was != "192.0.2.13" && now != was {
			t.Fatalf("subnet %s moved from %s to %s though %s is up", subnet, was, now, was)
		}
		if now == "192.0.2.13" {
			t.Fatalf("subnet %s answered the member that is down", subnet)
		}
	}
}

func TestHashWeightedPoolsSticky(t *testing.T) {
	pools := []Pool{
		testPool("blue", 3, member("192.0.2.10", 1)),
		testPool("green", 1, member("198.51.100.10", 1)),
	}
	table := compile(t, pools, Record{Policy: Weighted, Select: Hash, Pools: []string{"blue", "green"}}, AllUp{})
	buf := make([]net.IP, 0, 1)
	blue := 0
	const subnets = 4000
	for i := range subnets {
		c := client(fmt.Sprintf("10.%d.%d.7", i/256, i%256))
		a := table.Choose(0, IPv4, c, buf)
		if again := table.Choose(0, IPv4, c, buf); again.Pool != a.Pool {
			t.Fatalf("client %v: pool %s then %s", c.Addr, a.Pool, again.Pool)
		}
		if a.Pool == "blue" {
			blue++
		}
	}
	within(t, "blue subnets", blue, subnets, 0.75, 0.03)
}

func TestChooseDoesNotAllocate(t *testing.T) {
	pools := []Pool{
		testPool("blue", 3, member("192.0.2.10", 2), member("192.0.2.11", 1)),
		testPool("green", 1, member("198.51.100.10", 1), member("2001:db8::1", 1)),
	}
	for _, rec := range []Record{
		{Policy: Failover, Pools: []string{"blue", "green"}, Answers: 2},
		{Policy: Weighted, Pools: []string{"blue", "green"}},
		{Policy: Weighted, Select: Hash, Pools: []string{"blue", "green"}},
	} {
		table := compile(t, pools, rec, downSet{"blue/192.0.2.11": true})
		c := client("203.0.113.9")
		allocs := testing.AllocsPerRun(1000, func() {
			var buf [4]net.IP
			table.Choose(0, IPv4, c, buf[:0])
		})
		if allocs != 0 {
			t.Errorf("policy %s select %d: %.1f allocations per selection, want 0", rec.Policy, rec.Select, allocs)
		}
	}
}

func BenchmarkChoose(b *testing.B) {
	pools := []Pool{
		testPool("blue", 3, member("192.0.2.10", 2), member("192.0.2.11", 1), member("192.0.2.12", 1), member("192.0.2.13", 1)),
		testPool("green", 1, member("198.51.100.10", 1), member("198.51.100.11", 1)),
	}
	for _, rec := range []Record{
		{Policy: Failover, Pools: []string{"blue", "green"}},
		{Policy: Weighted, Pools: []string{"blue", "green"}},
		{Policy: Weighted, Select: Hash, Pools: []string{"blue", "green"}},
	} {
		b.Run(fmt.Sprintf("%s/select=%d", rec.Policy, rec.Select), func(b *testing.B) {
			table := compile(b, pools, rec, AllUp{})
			c := client("203.0.113.9")
			var buf [4]net.IP
			b.ReportAllocs()
			for b.Loop() {
				table.Choose(0, IPv4, c, buf[:0])
			}
		})
	}
}

// A pool's share under policy weighted is its weight scaled by the part of
// its members' weight still effective: blue and green weigh alike, but
// with one of blue's two members down blue carries half its weight, and
// with the other slow (factor 0.5, slowSet) a quarter. Its own members
// share what it gets as before.
func TestWeightedPoolShareFollowsItsMembers(t *testing.T) {
	pools := []Pool{
		testPool("blue", 1, member("192.0.2.10", 1), member("192.0.2.11", 1)),
		testPool("green", 1, member("198.51.100.10", 1)),
	}
	rec := Record{Policy: Weighted, Pools: []string{"blue", "green"}}
	for _, c := range []struct {
		what  string
		h     memberStates
		green float64
	}{
		{"all up", AllUp{}, 0.5},
		{"one of blue's members down", downSet{"blue/192.0.2.11": true}, 2.0 / 3},
		{"one down, the other slow", mixedSet{down: "blue/192.0.2.11", slow: "blue/192.0.2.10"}, 0.8},
	} {
		got := shares(compile(t, pools, rec, c.h), IPv4, client("127.0.0.1"), draws)
		within(t, c.what+": green", got["198.51.100.10"], draws, c.green, 0.015)
	}
}

// mixedSet is one member down and another slow.
type mixedSet struct{ down, slow string }

func (m mixedSet) State(pool string, mem Member) State {
	switch pool + "/" + mem.Addr.String() {
	case m.down:
		return State{}
	case m.slow:
		return State{Up: true, Factor: 0.5}
	}
	return State{Up: true, Factor: 1}
}
