package geoip

import (
	"net/netip"

	"github.com/gslb/gslb/policy"
)

// Find returns the first network, in the database's order, whose record
// match accepts: a client the database places there, for the status API's
// explain by country or ASN. It walks the search tree, so it costs what
// the database's size does (a City database: seconds); nothing on the
// query path calls it.
func (d *DB) Find(match func(policy.GeoInfo) bool) (netip.Prefix, bool) {
	c := d.current.Load()
	for result := range c.reader.Networks() {
		if result.Err() != nil {
			return netip.Prefix{}, false
		}
		prefix := result.Prefix()
		offset, bits, found := where(&result)
		if !found {
			continue
		}
		info := policy.GeoInfo{Bits: bits}
		if read(c.records.CursorAt(offset), &info) == nil && match(info) {
			return prefix, true
		}
	}
	return netip.Prefix{}, false
}
