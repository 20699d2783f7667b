package geoip

import (
	"net/netip"
	"strconv"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// benchDB has a full City record, an ASN-only one and a network without
// data. The first record is written whole; the second City record points
// at the values it shares with it, as records in MaxMind's databases do.
func benchDB(tb testing.TB) *DB {
	return writeRecords(tb, "GeoIP2-City",
		network{"192.0.2.0/24", cityRecord("DE", "BY", 3320)},
		network{"198.51.100.0/24", M{"autonomous_system_number": mmdbtype.Uint32(64500), "autonomous_system_organization": S("Example")}},
		network{"203.0.113.0/24", cityRecord("FR", "IDF", 0)})
}

func BenchmarkLookup(b *testing.B) {
	db := benchDB(b)
	for _, bc := range []struct{ name, addr string }{
		{"city", "192.0.2.1"}, {"city_shared", "203.0.113.1"}, {"asn", "198.51.100.1"}, {"miss", "10.1.2.3"},
	} {
		addr := netip.MustParseAddr(bc.addr)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				db.Lookup(addr)
			}
		})
	}
}

// TestLookupAllocs holds Lookup to no allocation once its codes have been
// interned.
func TestLookupAllocs(t *testing.T) {
	db := benchDB(t)
	for _, a := range []string{"192.0.2.1", "203.0.113.1", "198.51.100.1", "10.1.2.3"} {
		addr := netip.MustParseAddr(a)
		if n := testing.AllocsPerRun(100, func() { db.Lookup(addr) }); n != 0 {
			t.Errorf("Lookup(%s): %v allocations, want 0", a, n)
		}
	}
}

// TestIntern has more codes than slots, so they evict each other.
func TestIntern(t *testing.T) {
	for range 2 {
		for i := range 20000 {
			country := []byte{'A' + byte(i%26), 'A' + byte(i/26%26)}
			sub := []byte(strconv.Itoa(i % 1000))
			if got := intern(country); got != string(country) {
				t.Fatalf("intern(%s) = %s", country, got)
			}
			if got, want := internJoin(country, sub), string(country)+"-"+string(sub); got != want {
				t.Fatalf("internJoin = %s, want %s", got, want)
			}
		}
	}
	if got := internJoin([]byte("XX"), []byte("LONGER")); got != "XX-LONGER" {
		t.Errorf("internJoin of a long code = %s", got)
	}
}
