package policy

import (
	"net"
	"net/netip"
	"testing"
)

func geoPools() []Pool {
	eu := testPool("eu", 1, member("192.0.2.10", 1))
	eu.Location = &Location{Lat: 50.11, Lon: 8.68} // Frankfurt
	us := testPool("us", 1, member("198.51.100.10", 1))
	us.Location = &Location{Lat: 39.04, Lon: -77.49} // Ashburn
	ap := testPool("ap", 1, member("203.0.113.10", 1))
	ap.Location = &Location{Lat: 1.35, Lon: 103.82} // Singapore
	return []Pool{eu, us, ap}
}

func geoRecord() Record {
	return Record{Policy: Geo, Pools: []string{"us", "eu", "ap"}, Routes: []Route{
		{Pool: "eu", Kind: Continent, Values: []string{"EU", "AF"}},
		{Pool: "us", Kind: Country, Values: []string{"GB"}},
		{Pool: "ap", Kind: Subdivision, Values: []string{"GB-SCT"}},
		{Pool: "ap", Kind: ASN, Values: []string{"64500"}},
		{Pool: "eu", Kind: Net, Nets: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}},
		{Pool: "us", Kind: Net, Nets: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}},
	}}
}

func geoClient(addr string, bits int, geo GeoInfo) *Client {
	return &Client{Addr: netip.MustParseAddr(addr), Bits: bits, Geo: geo}
}

func TestGeoOrder(t *testing.T) {
	de := GeoInfo{Found: true, Continent: "EU", Country: "DE", Bits: 16}
	tests := []struct {
		name   string
		client *Client
		health memberStates
		pool   string
		scope  int
	}{
		{"continent route", geoClient("192.0.2.0", 24, de), AllUp{}, "eu", 16},
		{"country beats continent", geoClient("192.0.2.0", 24, GeoInfo{Found: true, Continent: "EU", Country: "GB", Bits: 20}), AllUp{}, "us", 20},
		{"subdivision beats country", geoClient("192.0.2.0", 24, GeoInfo{Found: true, Continent: "EU", Country: "GB", Subdivision: "GB-SCT", Bits: 22}), AllUp{}, "ap", 22},
		{"asn beats country", geoClient("192.0.2.0", 24, GeoInfo{Found: true, Country: "GB", ASN: 64500, Bits: 18}), AllUp{}, "ap", 18},
		{"net beats everything", geoClient("10.2.0.0", 24, GeoInfo{Found: true, Country: "GB", Subdivision: "GB-SCT", Bits: 8}), AllUp{}, "eu", 15},
		{"nested net", geoClient("10.1.7.0", 24, de), AllUp{}, "us", 16},
		{"unmatched: listed order", geoClient("192.0.2.0", 24, GeoInfo{Found: true, Continent: "OC", Country: "AU", Bits: 12}), AllUp{}, "us", 12},
		{"not in the database: listed order", geoClient("192.0.2.0", 24, GeoInfo{Bits: 3}), AllUp{}, "us", 3},
		{"matched pool down: next match", geoClient("192.0.2.0", 24, GeoInfo{Found: true, Continent: "EU", Country: "GB", Bits: 20}), downSet{"us/198.51.100.10": true}, "eu", 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			table := compile(t, geoPools(), geoRecord(), tc.health)
			if !table.NeedsGeo(0) {
				t.Fatal("NeedsGeo false for a record with continent routes")
			}
			a := table.Choose(0, IPv4, tc.client, make([]net.IP, 0, 1))
			if a.Pool != tc.pool || a.Scope != tc.scope {
				t.Fatalf("pool %q scope %d, want %q scope %d", a.Pool, a.Scope, tc.pool, tc.scope)
			}
		})
	}
}

func TestGeoScopeIgnoresHealth(t *testing.T) {
	c := geoClient("10.2.0.0", 24, GeoInfo{Found: true, Continent: "EU", Bits: 12})
	up := compile(t, geoPools(), geoRecord(), AllUp{}).Choose(0, IPv4, c, make([]net.IP, 0, 1))
	down := compile(t, geoPools(), geoRecord(), downSet{"eu/192.0.2.10": true}).Choose(0, IPv4, c, make([]net.IP, 0, 1))
	if up.Pool == down.Pool || up.Scope != down.Scope {
		t.Fatalf("healthy %s/%d, eu down %s/%d: want another pool with the same scope (docs/ecs.md C10)", up.Pool, up.Scope, down.Pool, down.Scope)
	}
	if !down.Reduced || up.Reduced {
		t.Fatalf("reduced TTL: healthy %v, failed over %v", up.Reduced, down.Reduced)
	}
}

func TestNetOnlyGeoNeedsNoDatabase(t *testing.T) {
	rec := Record{Policy: Geo, Pools: []string{"eu", "us"}, Routes: []Route{
		{Pool: "us", Kind: Net, Nets: []netip.Prefix{netip.MustParsePrefix("2001:db8:1::/48")}},
	}}
	table := compile(t, geoPools(), rec, AllUp{})
	if table.NeedsGeo(0) {
		t.Fatal("NeedsGeo true for net routes only")
	}
	a := table.Choose(0, IPv4, geoClient("2001:db8:1:2::", 64, GeoInfo{}), make([]net.IP, 0, 1))
	if a.Pool != "us" || a.Scope != 48 {
		t.Fatalf("pool %s scope %d, want us 48", a.Pool, a.Scope)
	}
	a = table.Choose(0, IPv4, geoClient("2001:db8:2::", 56, GeoInfo{}), make([]net.IP, 0, 1))
	if a.Pool != "eu" || a.Scope != 47 {
		t.Fatalf("pool %s scope %d, want eu 47", a.Pool, a.Scope)
	}
}

func TestNearest(t *testing.T) {
	rec := Record{Policy: Nearest, Pools: []string{"us", "eu", "ap"}}
	tests := []struct {
		name   string
		geo    GeoInfo
		health memberStates
		pool   string
	}{
		{"Paris → Frankfurt", GeoInfo{Found: true, HasLocation: true, Lat: 48.86, Lon: 2.35, Bits: 20}, AllUp{}, "eu"},
		{"Tokyo → Singapore", GeoInfo{Found: true, HasLocation: true, Lat: 35.68, Lon: 139.69, Bits: 20}, AllUp{}, "ap"},
		{"Toronto → Ashburn", GeoInfo{Found: true, HasLocation: true, Lat: 43.65, Lon: -79.38, Bits: 20}, AllUp{}, "us"},
		{"Toronto, Ashburn down → Frankfurt", GeoInfo{Found: true, HasLocation: true, Lat: 43.65, Lon: -79.38, Bits: 20}, downSet{"us/198.51.100.10": true}, "eu"},
		{"across the date line: Auckland → Singapore", GeoInfo{Found: true, HasLocation: true, Lat: -36.85, Lon: 174.76, Bits: 20}, AllUp{}, "ap"},
		{"no location: listed order", GeoInfo{Found: true, Bits: 20}, AllUp{}, "us"},
	}
	for _, tc := range tests {
		table := compile(t, geoPools(), rec, tc.health)
		a := table.Choose(0, IPv4, geoClient("192.0.2.0", 24, tc.geo), make([]net.IP, 0, 1))
		if a.Pool != tc.pool || a.Scope != 20 {
			t.Errorf("%s: pool %s scope %d, want %s scope 20", tc.name, a.Pool, a.Scope, tc.pool)
		}
	}
}

func TestGeoChooseDoesNotAllocate(t *testing.T) {
	for _, rec := range []Record{geoRecord(), {Policy: Nearest, Pools: []string{"us", "eu", "ap"}}} {
		table := compile(t, geoPools(), rec, AllUp{})
		c := geoClient("10.1.7.0", 24, GeoInfo{Found: true, Continent: "EU", Country: "GB", ASN: 64500, HasLocation: true, Lat: 1, Lon: 2, Bits: 16})
		if allocs := testing.AllocsPerRun(1000, func() {
			var buf [2]net.IP
			table.Choose(0, IPv4, c, buf[:0])
		}); allocs != 0 {
			t.Errorf("policy %s: %.1f allocations per selection, want 0", rec.Policy, allocs)
		}
	}
}
