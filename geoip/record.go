package geoip

import "github.com/gslb/gslb/policy"

// record is the part of the City, Country, Enterprise and ASN schemas that
// routes use. The ASN database has the number at the top level; City and
// Enterprise have it under traits.
type record struct {
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

// fill copies the record into info. The subdivision is the first (largest)
// one, as country-subdivision: US-CA.
func (r *record) fill(info *policy.GeoInfo) {
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
}
