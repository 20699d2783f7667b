package geoip

import (
	"net/netip"

	"github.com/gslb/gslb/policy"
)

// reference is the reflection decoder Lookup replaced, kept as the oracle
// the tests compare Lookup's answers with.
type reference struct {
	Continent struct {
		Code string `maxminddb:"code"`
	} `maxminddb:"continent"`
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	Subdivisions []struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"subdivisions"`
	Location struct {
		Latitude  *float64 `maxminddb:"latitude"`
		Longitude *float64 `maxminddb:"longitude"`
	} `maxminddb:"location"`
	ASN    uint32 `maxminddb:"autonomous_system_number"`
	Traits struct {
		ASN uint32 `maxminddb:"autonomous_system_number"`
	} `maxminddb:"traits"`
}

func referenceLookup(d *DB, addr netip.Addr) policy.GeoInfo {
	result := d.current.Load().reader.Lookup(addr)
	info := policy.GeoInfo{Bits: max(result.Prefix().Bits(), 0)}
	if !result.Found() {
		return info
	}
	var r reference
	if err := result.Decode(&r); err != nil {
		return info
	}
	info.Found = true
	info.Continent = r.Continent.Code
	info.Country = r.Country.ISOCode
	if len(r.Subdivisions) > 0 && r.Country.ISOCode != "" && r.Subdivisions[0].ISOCode != "" {
		info.Subdivision = r.Country.ISOCode + "-" + r.Subdivisions[0].ISOCode
	}
	if r.Location.Latitude != nil && r.Location.Longitude != nil {
		info.HasLocation, info.Lat, info.Lon = true, *r.Location.Latitude, *r.Location.Longitude
	}
	info.ASN = r.ASN
	if info.ASN == 0 {
		info.ASN = r.Traits.ASN
	}
	return info
}
