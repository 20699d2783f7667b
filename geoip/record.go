package geoip

import (
	"errors"
	"math"

	"github.com/oschwald/maxminddb-golang/v2/mmdbdata"

	"github.com/gslb/gslb/policy"
)

// read puts into info the parts of the City, Country, Enterprise and ASN
// schemas that routes use, from the record at c. It walks the record with
// the library's cursors: no reflection and no recursion, and what gslb
// does not use is skipped without being decoded (Skip walks a nested value
// in a loop, and a pointer in one step). A value of the wrong type is an
// error, as it was to the reflection decoder; info is then partly filled.
func read(c mmdbdata.Cursor, info *policy.GeoInfo) error {
	var country, subdivision []byte // alias the database until interned
	var hasLat, hasLon bool
	var traitsASN uint32 // City and Enterprise; the ASN database's is top-level
	record, err := entriesOf(c)
	for err == nil {
		key, v, ok, nextErr := record.next()
		if !ok {
			err = nextErr
			break
		}
		switch string(key) {
		case "continent":
			var code []byte
			code, err = text(find(v, "code"))
			info.Continent = intern(code)
		case "country":
			country, err = text(find(v, "iso_code"))
		case "subdivisions":
			if v, ok, err = first(v); ok {
				subdivision, err = text(find(v, "iso_code"))
			}
		case "location":
			hasLat, hasLon, err = location(v, info)
		case "autonomous_system_number":
			info.ASN, err = uint32At(v)
		case "traits":
			if v, ok, err = find(v, "autonomous_system_number"); ok {
				traitsASN, err = uint32At(v)
			}
		}
	}
	if err != nil {
		return err
	}
	info.Found = true
	info.Country = intern(country)
	if len(country) > 0 && len(subdivision) > 0 {
		info.Subdivision = internJoin(country, subdivision) // US-CA
	}
	info.HasLocation = hasLat && hasLon
	if !info.HasLocation {
		info.Lat, info.Lon = 0, 0
	}
	if info.ASN == 0 {
		info.ASN = traitsASN
	}
	return nil
}

func location(c mmdbdata.Cursor, info *policy.GeoInfo) (hasLat, hasLon bool, err error) {
	location, err := entriesOf(c)
	for err == nil {
		key, v, ok, nextErr := location.next()
		if !ok {
			return hasLat, hasLon, nextErr
		}
		switch string(key) {
		case "latitude":
			info.Lat, _, err = v.ReadFloat()
			hasLat = true
		case "longitude":
			info.Lon, _, err = v.ReadFloat()
			hasLon = true
		}
	}
	return false, false, err
}

// first returns the first element of the array at c, ok false if empty.
// Later subdivisions are not read: unlike to the reflection decoder, a
// malformed one there is no error.
func first(c mmdbdata.Cursor) (mmdbdata.Cursor, bool, error) {
	array, err := c.Slice()
	if err != nil {
		return mmdbdata.Cursor{}, false, err
	}
	_, element, ok := array.Next(mmdbdata.Cursor{})
	return element, ok, array.Err()
}

var errASN = errors.New("autonomous_system_number out of uint32 range")

// uint32At reads an integer the reflection decoder would have put in a
// uint32: any unsigned kind, or an int32, within range.
func uint32At(c mmdbdata.Cursor) (uint32, error) {
	n, _, _, err := c.ReadInteger()
	if err == nil && n > math.MaxUint32 {
		err = errASN
	}
	return uint32(n), err
}
