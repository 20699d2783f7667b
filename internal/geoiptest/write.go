// Package geoiptest writes small MaxMind-format databases for tests, with
// the fields of the City (and Enterprise) schema that gslb routes on.
package geoiptest

import (
	"net"
	"os"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Entry is one network of a test database. Empty fields are left out.
type Entry struct {
	Network     string // CIDR
	Continent   string // EU
	Country     string // DE
	Subdivision string // HE (the code within the country)
	ASN         uint32
	Location    *[2]float64 // latitude, longitude
}

// Write writes a database of type dbType (e.g. "GeoIP2-City") to path.
func Write(t testing.TB, path, dbType string, entries []Entry) {
	t.Helper()
	values := make([]network, 0, len(entries))
	for _, e := range entries {
		values = append(values, network{e.Network, e.value()})
	}
	write(t, path, dbType, values)
}

// WriteASN writes a GeoLite2-ASN style database: the number at the top level.
func WriteASN(t testing.TB, path string, networks map[string]uint32) {
	t.Helper()
	values := make([]network, 0, len(networks))
	for cidr, asn := range networks {
		values = append(values, network{cidr, mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(asn)}})
	}
	write(t, path, "GeoLite2-ASN", values)
}

// network is one inserted network; later ones win where they overlap, so
// the order of Write's entries is kept.
type network struct {
	cidr  string
	value mmdbtype.DataType
}

func write(t testing.TB, path, dbType string, values []network) {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            dbType,
		Description:             map[string]string{"en": "gslb test database"},
		Languages:               []string{"en"},
		RecordSize:              28,
		IncludeReservedNetworks: true, // tests use documentation and private ranges
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		_, ipnet, err := net.ParseCIDR(v.cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(ipnet, v.value); err != nil {
			t.Fatalf("insert %s: %v", v.cidr, err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
}

func (e Entry) value() mmdbtype.Map {
	m := mmdbtype.Map{}
	if e.Continent != "" {
		m["continent"] = mmdbtype.Map{"code": mmdbtype.String(e.Continent)}
	}
	if e.Country != "" {
		m["country"] = mmdbtype.Map{"iso_code": mmdbtype.String(e.Country)}
	}
	if e.Subdivision != "" {
		m["subdivisions"] = mmdbtype.Slice{mmdbtype.Map{"iso_code": mmdbtype.String(e.Subdivision)}}
	}
	if e.Location != nil {
		m["location"] = mmdbtype.Map{"latitude": mmdbtype.Float64(e.Location[0]), "longitude": mmdbtype.Float64(e.Location[1])}
	}
	if e.ASN != 0 {
		m["traits"] = mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(e.ASN)}
	}
	return m
}
