package geoip

import "sync/atomic"

// Continent, country and subdivision codes are a few bytes each, and a
// server sees the same few thousand over and over: each is made a string
// once and kept in a table keyed by its bytes, so a lookup allocates only
// for a code it has not seen lately. The key is the content, not a place
// in one database, so the table stays right across reloads.

const (
	internBits  = 13 // 8,192 slots, 64 KiB: room for every ISO 3166-2 code
	maxInterned = 7  // bytes that fit in a key with their length
)

type interned struct {
	key uint64
	s   string
}

var internTable [1 << internBits]atomic.Pointer[interned]

// intern returns b as a string.
func intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxInterned {
		return string(b)
	}
	key := uint64(len(b)) << 56
	for i, c := range b {
		key |= uint64(c) << (8 * i)
	}
	// Two slots per key, so two hot codes that hash alike do not evict
	// each other on every lookup.
	h := (key * 0x9e3779b97f4a7c15) >> (64 - internBits)
	first, second := &internTable[h], &internTable[h^1]
	for _, slot := range [2]*atomic.Pointer[interned]{first, second} {
		if e := slot.Load(); e != nil && e.key == key {
			return e.s
		}
	}
	e := &interned{key, string(b)}
	if second.Load() == nil {
		second.Store(e)
	} else {
		first.Store(e)
	}
	return e.s
}

// internJoin returns country-subdivision, e.g. US-CA.
func internJoin(country, subdivision []byte) string {
	var buf [maxInterned]byte
	n := len(country) + 1 + len(subdivision)
	if n > len(buf) {
		return string(country) + "-" + string(subdivision)
	}
	copy(buf[:], country)
	buf[len(country)] = '-'
	copy(buf[len(country)+1:], subdivision)
	return intern(buf[:n])
}
