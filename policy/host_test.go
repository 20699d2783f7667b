package policy

import (
	"net"
	"net/netip"
	"testing"
)

func hostMember(name string, weight int) Member { return Member{Host: name, Weight: weight} }

// hostTable compiles pools with the host-name members resolved as addrs
// says (by host name) and down as downs says.
func hostTable(t *testing.T, pools []Pool, rec Record, addrs map[string][]string, downs map[string]bool) *Table {
	t.Helper()
	h := NewHealth(pools)
	for p, pool := range pools {
		for m, mem := range pool.Members {
			if downs[mem.Name()] {
				*h.Member(p, m) = State{}
			}
			var as []netip.Addr
			for _, a := range addrs[mem.Host] {
				as = append(as, netip.MustParseAddr(a))
			}
			if mem.Host != "" {
				h.SetAddrs(p, m, as)
			}
		}
	}
	if rec.Answers == 0 {
		rec.Answers = 1
	}
	rec.Names = []string{"app.gslb.test."}
	table, err := Compile(pools, []Record{rec}, h)
	if err != nil {
		t.Fatal(err)
	}
	return table
}

func TestHostNameCNAME(t *testing.T) {
	pools := []Pool{
		testPool("eu", 1, hostMember("nlb-eu.example.net.", 1)),
		testPool("us", 1, hostMember("nlb-us.example.net.", 1)),
	}
	rec := Record{Pools: []string{"eu", "us"}}
	table := hostTable(t, pools, rec, nil, nil)
	if !table.Alias(0) {
		t.Fatal("a record of host-name pools without flatten answers with a CNAME")
	}
	buf := make([]net.IP, 0, 1)
	if a := table.Choose(0, Host, client("192.0.2.1"), buf); table.Target(&a) != "nlb-eu.example.net." || a.Outcome != Answered {
		t.Fatalf("target %q outcome %d, want the first pool's name", table.Target(&a), a.Outcome)
	}
	table = hostTable(t, pools, rec, nil, map[string]bool{"nlb-eu.example.net.": true})
	if a := table.Choose(0, Host, client("192.0.2.1"), buf); table.Target(&a) != "nlb-us.example.net." || !a.Failover {
		t.Fatalf("target %q failover %v, want us's name after eu's is down", table.Target(&a), a.Failover)
	}
	table = hostTable(t, pools, rec, nil, map[string]bool{"nlb-eu.example.net.": true, "nlb-us.example.net.": true})
	if a := table.Choose(0, Host, client("192.0.2.1"), buf); table.Target(&a) != "nlb-eu.example.net." || !a.AllDown {
		t.Fatalf("all down: target %q allDown %v, want the first pool's name (on_all_down all)", table.Target(&a), a.AllDown)
	}
}

func TestHostNameFlatten(t *testing.T) {
	pools := []Pool{
		testPool("aws", 1, hostMember("nlb.example.net.", 1)),
		testPool("dc", 1, member("198.51.100.10", 1)),
	}
	rec := Record{Pools: []string{"aws", "dc"}, Flatten: true, Answers: 4}
	addrs := map[string][]string{"nlb.example.net.": {"192.0.2.1", "192.0.2.2", "2001:db8::1"}}
	table := hostTable(t, pools, rec, addrs, nil)
	if table.Alias(0) {
		t.Fatal("flatten answers with addresses")
	}
	buf := make([]net.IP, 0, 4)
	a := table.Choose(0, IPv4, client("192.0.2.99"), buf)
	if len(a.IPs) != 2 || a.PoolIndex != 0 {
		t.Fatalf("A: %v from pool %d, want the name's two IPv4 addresses", a.IPs, a.PoolIndex)
	}
	if a := table.Choose(0, IPv6, client("192.0.2.99"), buf); len(a.IPs) != 1 || a.IPs[0].String() != "2001:db8::1" {
		t.Fatalf("AAAA: %v", a.IPs)
	}
	// Not resolved yet, or resolved to nothing: the pool has no address,
	// and the next pool answers; the name is not NODATA for the family.
	table = hostTable(t, pools, rec, nil, nil)
	if !table.Has(0, IPv6) {
		t.Error("a flattened host name may have IPv6 addresses once it resolves: the record is not NODATA for AAAA")
	}
	if a := table.Choose(0, IPv4, client("192.0.2.99"), buf); a.PoolIndex != 1 || len(a.IPs) != 1 {
		t.Fatalf("unresolved: %v from pool %d, want dc's address", a.IPs, a.PoolIndex)
	}
	if a := table.Choose(0, IPv6, client("192.0.2.99"), buf); a.Outcome != NoData {
		t.Fatalf("unresolved, no IPv6 anywhere: outcome %d, want NoData", a.Outcome)
	}
}

func TestHostNameAddressesShareTheMemberWeight(t *testing.T) {
	// One name with three addresses weighs as one member, against a
	// member of the same weight with one address.
	pools := []Pool{testPool("aws", 1, hostMember("nlb.example.net.", 1), hostMember("single.example.net.", 1))}
	rec := Record{Pools: []string{"aws"}, Flatten: true}
	addrs := map[string][]string{"nlb.example.net.": {"192.0.2.1", "192.0.2.2", "192.0.2.3"}, "single.example.net.": {"198.51.100.1"}}
	table := hostTable(t, pools, rec, addrs, nil)
	const n = 30000
	counts := shares(table, IPv4, client("203.0.113.1"), n)
	within(t, "the single address", counts["198.51.100.1"], n, 0.5, 0.03)
	within(t, "one of the three", counts["192.0.2.2"], n, 0.5/3, 0.03)
}

func TestHostNameChooseDoesNotAllocate(t *testing.T) {
	pools := []Pool{testPool("aws", 1, hostMember("nlb.example.net.", 1))}
	for _, flatten := range []bool{false, true} {
		table := hostTable(t, pools, Record{Pools: []string{"aws"}, Flatten: flatten}, map[string][]string{"nlb.example.net.": {"192.0.2.1"}}, nil)
		f := Host
		if flatten {
			f = IPv4
		}
		c := client("192.0.2.99")
		buf := make([]net.IP, 0, 1)
		if n := testing.AllocsPerRun(100, func() { table.Choose(0, f, c, buf) }); n != 0 {
			t.Errorf("flatten %v: %.1f allocations per selection, want 0", flatten, n)
		}
	}
}
