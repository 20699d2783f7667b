package policy

import (
	"net"
	"testing"
)

func failoverPools() []Pool {
	return []Pool{
		testPool("eu", 1, member("192.0.2.10", 1), member("192.0.2.11", 1)),
		testPool("us", 1, member("198.51.100.10", 1), member("2001:db8::10", 1)),
	}
}

func TestFailoverOrder(t *testing.T) {
	rec := Record{Policy: Failover, Pools: []string{"eu", "us"}}
	tests := []struct {
		name     string
		health   memberStates
		family   Family
		wantPool string
		reduced  bool
		allDown  bool
	}{
		{"first pool when healthy", AllUp{}, IPv4, "eu", false, false},
		{"one member down still first pool, degraded", downSet{"eu/192.0.2.10": true}, IPv4, "eu", true, false},
		{"first pool down fails over", downSet{"eu/192.0.2.10": true, "eu/192.0.2.11": true}, IPv4, "us", true, false},
		{"AAAA skips a pool without IPv6", AllUp{}, IPv6, "us", false, false},
		{"all down answers the first pool", downSet{"eu/192.0.2.10": true, "eu/192.0.2.11": true, "us/198.51.100.10": true, "us/2001:db8::10": true}, IPv4, "eu", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			table := compile(t, failoverPools(), rec, tc.health)
			a := table.Choose(0, tc.family, client("127.0.0.1"), make([]net.IP, 0, 4))
			if a.Outcome != Answered || a.Pool != tc.wantPool || a.Reduced != tc.reduced || a.AllDown != tc.allDown {
				t.Fatalf("got outcome %d pool %q reduced %v allDown %v, want pool %q reduced %v allDown %v",
					a.Outcome, a.Pool, a.Reduced, a.AllDown, tc.wantPool, tc.reduced, tc.allDown)
			}
			if len(a.IPs) != 1 {
				t.Fatalf("got %d addresses, want 1", len(a.IPs))
			}
		})
	}
}

func TestMinHealthySkipsPool(t *testing.T) {
	pools := failoverPools()
	pools[0].MinHealthy = 2
	table := compile(t, pools, Record{Pools: []string{"eu", "us"}}, downSet{"eu/192.0.2.11": true})
	a := table.Choose(0, IPv4, client("127.0.0.1"), make([]net.IP, 0, 4))
	if a.Pool != "us" || !a.Reduced {
		t.Fatalf("pool %q reduced %v, want us with a reduced TTL: eu has 1 of the 2 healthy members it needs", a.Pool, a.Reduced)
	}
}

func TestNoDataForMissingFamily(t *testing.T) {
	pools := []Pool{testPool("eu", 1, member("192.0.2.10", 1))}
	table := compile(t, pools, Record{Pools: []string{"eu"}}, AllUp{})
	if table.Has(0, IPv6) || !table.Has(0, IPv4) {
		t.Fatalf("Has: IPv4 %v IPv6 %v, want true false", table.Has(0, IPv4), table.Has(0, IPv6))
	}
	if a := table.Choose(0, IPv6, client("127.0.0.1"), nil); a.Outcome != NoData {
		t.Fatalf("outcome %d, want NoData", a.Outcome)
	}
}

func TestOnAllDown(t *testing.T) {
	pools := append(failoverPools(), testPool("sorry", 1, member("203.0.113.1", 1)))
	allDown := downSet{"eu/192.0.2.10": true, "eu/192.0.2.11": true, "us/198.51.100.10": true, "us/2001:db8::10": true}
	tests := []struct {
		mode     AllDown
		outcome  Outcome
		wantPool string
		wantIP   string
	}{
		{AllMembers, Answered, "eu", ""},
		{FallbackPool, Answered, "sorry", "203.0.113.1"},
		{Fallthrough, PassDown, "", ""},
		{ServFail, ServerFailure, "", ""},
	}
	for _, tc := range tests {
		rec := Record{Pools: []string{"eu", "us"}, OnAllDown: tc.mode, AllDownPool: "sorry"}
		table := compile(t, pools, rec, allDown)
		a := table.Choose(0, IPv4, client("127.0.0.1"), make([]net.IP, 0, 4))
		if a.Outcome != tc.outcome || a.Pool != tc.wantPool || (tc.outcome == Answered && !a.AllDown) {
			t.Errorf("mode %d: outcome %d pool %q allDown %v, want outcome %d pool %q", tc.mode, a.Outcome, a.Pool, a.AllDown, tc.outcome, tc.wantPool)
		}
		if tc.wantIP != "" && (len(a.IPs) != 1 || a.IPs[0].String() != tc.wantIP) {
			t.Errorf("mode %d: answered %v, want %s", tc.mode, a.IPs, tc.wantIP)
		}
	}
}

func TestFallbackPoolHealthyIsNotAllMembers(t *testing.T) {
	pools := append(failoverPools(), testPool("sorry", 1, member("203.0.113.1", 1), member("203.0.113.2", 1)))
	h := downSet{"eu/192.0.2.10": true, "eu/192.0.2.11": true, "us/198.51.100.10": true, "us/2001:db8::10": true, "sorry/203.0.113.1": true}
	table := compile(t, pools, Record{Pools: []string{"eu", "us"}, OnAllDown: FallbackPool, AllDownPool: "sorry"}, h)
	for range 50 {
		a := table.Choose(0, IPv4, client("127.0.0.1"), make([]net.IP, 0, 4))
		if len(a.IPs) != 1 || a.IPs[0].String() != "203.0.113.2" {
			t.Fatalf("answered %v, want only the healthy fallback member 203.0.113.2", a.IPs)
		}
	}
}
