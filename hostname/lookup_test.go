package hostname

import "testing"

// Lease.Lookup allocates nothing, for a held name or any other.
func TestLookupAllocatesNothing(t *testing.T) {
	f := startFake(t, "nlb.example.net. 3600 IN A 192.0.2.1", "nlb.example.net. 3600 IN AAAA 2001:db8::1")
	l := acquire(t, newTestRegistry(), f.addr, nil, "nlb.example.net.")
	waitFirst(t, l)
	for _, name := range []string{"nlb.example.net.", "other.example.net."} {
		if n := testing.AllocsPerRun(1000, func() { l.Lookup(name) }); n != 0 {
			t.Errorf("Lookup(%s): %v allocations, want none", name, n)
		}
	}
}

// BenchmarkLeaseLookup is the cost a compile pays per host member.
func BenchmarkLeaseLookup(b *testing.B) {
	f := startFake(b, "nlb.example.net. 3600 IN A 192.0.2.1", "nlb.example.net. 3600 IN AAAA 2001:db8::1")
	l := acquire(b, newTestRegistry(), f.addr, nil, "nlb.example.net.")
	waitFirst(b, l)
	b.ReportAllocs()
	for b.Loop() {
		if len(l.Lookup("nlb.example.net.").Addrs) != 2 {
			b.Fatal("no addresses")
		}
	}
}
