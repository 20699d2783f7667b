package geoip

import (
	"net/netip"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/gslb/gslb/policy"
)

type M = mmdbtype.Map

var munich = policy.GeoInfo{Found: true, Continent: "EU", Country: "DE", Subdivision: "DE-BY", ASN: 3320,
	HasLocation: true, Lat: 48.1374, Lon: 11.5755, Bits: 24}

func TestLookupCitySchema(t *testing.T) {
	// Identical records share one data record, like ones share their
	// names maps: values written inline once and by pointer after.
	db := writeRecords(t, "GeoIP2-City",
		network{"192.0.2.0/24", cityRecord("DE", "BY", 3320)},
		network{"198.51.100.0/24", cityRecord("DE", "BY", 3320)},
		network{"203.0.113.0/25", cityRecord("FR", "IDF", 0)},
		network{"2001:db8::/32", cityRecord("DE", "BY", 3320)})
	check(t, db, "192.0.2.1", munich)
	check(t, db, "198.51.100.255", munich)
	paris := munich
	paris.Country, paris.Subdivision, paris.ASN, paris.Bits = "FR", "FR-IDF", 0, 25 // not extra's ASN 1
	check(t, db, "203.0.113.1", paris)
	v6 := munich
	v6.Bits = 32
	check(t, db, "2001:db8:ffff::1", v6)
	// An IPv4-mapped address is found through the IPv4 subtree, the prefix
	// counted in IPv6 bits as the library gives it.
	mapped := munich
	mapped.Bits = 120
	check(t, db, "::ffff:192.0.2.9", mapped)
	check(t, db, "203.0.113.200", policy.GeoInfo{Bits: 25}) // not in the database
	check(t, db, "2001:db9::1", policy.GeoInfo{Bits: 32})
}

func TestLookupCountryEnterpriseASNSchemas(t *testing.T) {
	country := writeRecords(t, "GeoIP2-Country", network{"192.0.2.0/24", M{
		"continent": place(6255148, "code", "EU", "Europe"), "country": place(3017382, "iso_code", "FR", "France"),
		"registered_country": place(3017382, "iso_code", "FR", "France"), "traits": M{"is_anycast": mmdbtype.Bool(true)}}})
	check(t, country, "192.0.2.1", policy.GeoInfo{Found: true, Continent: "EU", Country: "FR", Bits: 24})

	enterprise := cityRecord("DE", "BY", 3320)
	enterprise["traits"].(M)["isp"] = S("Deutsche Telekom AG")
	enterprise["traits"].(M)["mobile_country_code"] = S("262")
	check(t, writeRecords(t, "GeoIP2-Enterprise", network{"192.0.2.0/24", enterprise}), "192.0.2.1", munich)

	asn := writeRecords(t, "GeoLite2-ASN",
		network{"192.0.2.0/24", M{"autonomous_system_number": mmdbtype.Uint32(64500), "autonomous_system_organization": S("Example")}},
		// Both: the top-level number is the ASN database's, and wins.
		network{"198.51.100.0/24", M{"autonomous_system_number": mmdbtype.Uint32(64501), "traits": M{"autonomous_system_number": mmdbtype.Uint32(64502)}}})
	check(t, asn, "192.0.2.1", policy.GeoInfo{Found: true, ASN: 64500, Bits: 24})
	check(t, asn, "198.51.100.1", policy.GeoInfo{Found: true, ASN: 64501, Bits: 24})
}

func TestLookupMissingFields(t *testing.T) {
	db := writeRecords(t, "GeoIP2-City",
		network{"10.0.0.0/24", M{}},
		network{"10.0.1.0/24", M{"country": M{"iso_code": S("DE")}, "subdivisions": mmdbtype.Slice{}}},
		network{"10.0.2.0/24", M{"subdivisions": mmdbtype.Slice{M{"iso_code": S("CA")}}}}, // no country
		network{"10.0.3.0/24", M{"country": M{"iso_code": S("US")}, "subdivisions": mmdbtype.Slice{M{"names": names("x")}, M{"iso_code": S("CA")}}}},
		network{"10.0.4.0/24", M{"location": M{"latitude": mmdbtype.Float64(1)}, "continent": M{"names": names("Europe")}}},
		network{"10.0.5.0/24", M{"location": M{"latitude": mmdbtype.Float64(0), "longitude": mmdbtype.Float64(0)}}},
		network{"10.0.6.0/24", M{"traits": M{}, "country": M{}, "continent": M{"code": S("")}}},
	)
	found := policy.GeoInfo{Found: true, Bits: 24}
	check(t, db, "10.0.0.1", found)
	check(t, db, "10.0.1.1", policy.GeoInfo{Found: true, Country: "DE", Bits: 24})
	check(t, db, "10.0.2.1", found)
	check(t, db, "10.0.3.1", policy.GeoInfo{Found: true, Country: "US", Bits: 24}) // the first subdivision has no code
	check(t, db, "10.0.4.1", found)
	check(t, db, "10.0.5.1", policy.GeoInfo{Found: true, HasLocation: true, Bits: 24})
	check(t, db, "10.0.6.1", found)
}

// Records that do not fit the schema: the reflection decoder failed on a
// wrong type in a field it read, and Lookup then knows nothing.
func TestLookupSchemaMismatch(t *testing.T) {
	records := []M{
		{"country": S("DE")},
		{"continent": M{"code": mmdbtype.Uint32(1)}},
		{"subdivisions": M{"iso_code": S("BY")}},
		{"subdivisions": mmdbtype.Slice{S("BY")}},
		{"location": M{"latitude": S("48.1"), "longitude": mmdbtype.Float64(11.5)}},
		{"location": M{"latitude": mmdbtype.Float32(48.5), "longitude": mmdbtype.Float64(11.5)}},
		{"autonomous_system_number": mmdbtype.Uint64(1 << 32)},
		{"autonomous_system_number": mmdbtype.Uint64(64500)},
		{"autonomous_system_number": mmdbtype.Uint16(64500)},
		{"autonomous_system_number": mmdbtype.Int32(-1)},
		{"autonomous_system_number": mmdbtype.Int32(64500)},
		{"traits": M{"autonomous_system_number": S("64500")}},
		{"traits": mmdbtype.Slice{}},
		{"continent": M{"code": S("EU")}, "extra": M{"autonomous_system_number": S("x"), "code": mmdbtype.Bool(true)}},
	}
	var networks []network
	for i, r := range records {
		networks = append(networks, network{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(i), 0}), 24).String(), r})
	}
	db := writeRecords(t, "GeoIP2-City", networks...)
	for i := range records {
		addr := netip.AddrFrom4([4]byte{10, 0, byte(i), 1})
		if got, ref := db.Lookup(addr), referenceLookup(db, addr); got != ref {
			t.Errorf("%v: %+v\nreflection decoder %+v", records[i], got, ref)
		}
	}
}
