package geoip

import (
	"math/big"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/gslb/gslb/policy"
)

// Records as MaxMind's schemas have them, with the fields Lookup skips.
// geoiptest writes only the fields gslb reads, so these are written here.

type S = mmdbtype.String

// names is a names map in several languages, as every GeoIP2 place has.
func names(en string) mmdbtype.Map {
	return mmdbtype.Map{"de": S(en + " (de)"), "en": S(en), "es": S(en + " (es)"), "fr": S(en + " (fr)"),
		"ja": S("日本語 " + en), "pt-BR": S(en + " (pt)"), "ru": S("Русский " + en), "zh-CN": S("中文 " + en)}
}

func place(id uint32, key, code, name string) mmdbtype.Map {
	return mmdbtype.Map{"geoname_id": mmdbtype.Uint32(id), S(key): S(code), "names": names(name)}
}

// cityRecord is a GeoIP2-City/Enterprise record, with decoys: iso_code,
// code, latitude and autonomous_system_number in maps Lookup must skip.
func cityRecord(country, sub string, asn uint32) mmdbtype.Map {
	return mmdbtype.Map{
		"city":                mmdbtype.Map{"confidence": mmdbtype.Uint16(50), "geoname_id": mmdbtype.Uint32(2867714), "names": names("Munich")},
		"continent":           place(6255148, "code", "EU", "Europe"),
		"country":             mmdbtype.Map{"geoname_id": mmdbtype.Uint32(2921044), "is_in_european_union": mmdbtype.Bool(true), "iso_code": S(country), "names": names("Germany"), "confidence": mmdbtype.Uint16(99)},
		"location":            mmdbtype.Map{"accuracy_radius": mmdbtype.Uint16(20), "latitude": mmdbtype.Float64(48.1374), "longitude": mmdbtype.Float64(11.5755), "time_zone": S("Europe/Berlin")},
		"postal":              mmdbtype.Map{"code": S("80331"), "confidence": mmdbtype.Uint16(40)},
		"registered_country":  place(2750405, "iso_code", "NL", "Netherlands"),
		"represented_country": mmdbtype.Map{"iso_code": S("US"), "type": S("military"), "names": names("United States")},
		"subdivisions":        mmdbtype.Slice{place(2951839, "iso_code", sub, "Bavaria"), place(2861322, "iso_code", "091", "Upper Bavaria")},
		"traits": mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(asn), "autonomous_system_organization": S("Deutsche Telekom AG"),
			"connection_type": S("Cable/DSL"), "is_anycast": mmdbtype.Bool(false), "static_ip_score": mmdbtype.Float64(0.4),
			"network": S("192.0.2.0/24"), "user_count": mmdbtype.Uint32(7)},
		"extra": mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(1), "latitude": mmdbtype.Float64(-1),
			"deep": mmdbtype.Slice{mmdbtype.Map{"code": S("XX"), "deeper": mmdbtype.Slice{
				(*mmdbtype.Uint128)(big.NewInt(7)), mmdbtype.Int32(-5), mmdbtype.Bytes{1, 2, 3}, mmdbtype.Float32(1.5), mmdbtype.Uint64(1 << 40),
				mmdbtype.Slice{}, mmdbtype.Map{}, S(""), mmdbtype.Bool(true)}}}},
	}
}

type network struct {
	cidr  string
	value mmdbtype.DataType
}

// writeRecords writes networks as a database of dbType and opens it.
func writeRecords(t testing.TB, dbType string, networks ...network) *DB {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: dbType, Description: map[string]string{"en": "geoip schema test"},
		Languages: []string{"en"}, RecordSize: 28, IncludeReservedNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range networks {
		_, ipnet, err := net.ParseCIDR(n.cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(ipnet, n.value); err != nil {
			t.Fatalf("insert %s: %v", n.cidr, err)
		}
	}
	path := filepath.Join(t.TempDir(), dbType+".mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// check looks addr up, compares the answer with want and with the
// reflection decoder's.
func check(t *testing.T, db *DB, addr string, want policy.GeoInfo) {
	t.Helper()
	a := netip.MustParseAddr(addr)
	got := db.Lookup(a)
	if got != want {
		t.Errorf("%s: %+v\nwant %+v", addr, got, want)
	}
	if ref := referenceLookup(db, a); got != ref {
		t.Errorf("%s: %+v\nreflection decoder %+v", addr, got, ref)
	}
}
