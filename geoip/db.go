// Package geoip reads MaxMind-format databases (City, Country, Enterprise,
// ASN) for client location routing, and reloads them when the file changes.
package geoip

import (
	"crypto/sha256"
	"fmt"
	"net/netip"
	"os"
	"sync/atomic"

	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/gslb/gslb/policy"
)

// DB is a GeoIP database held in memory. Lookups read an immutable reader
// through an atomic pointer; a reload swaps in a new one.
type DB struct {
	path   string
	reader atomic.Pointer[maxminddb.Reader]
	sum    [sha256.Size]byte // of the loaded file; only the watcher reads it after Open
	stat   fileStat
	watch  *watcher
}

// Open reads and checks the database at path. A missing, unreadable or
// corrupt file is an error that names the file.
func Open(path string) (*DB, error) {
	d := &DB{path: path}
	if _, err := d.load(); err != nil {
		return nil, err
	}
	return d, nil
}

// Path returns the file the database is read from.
func (d *DB) Path() string { return d.path }

// load reads the file and swaps in a reader when its content changed.
func (d *DB) load() (changed bool, err error) {
	st, err := statFile(d.path)
	if err != nil {
		return false, fmt.Errorf("geoip %s: %w", d.path, err)
	}
	data, err := os.ReadFile(d.path)
	if err != nil {
		return false, fmt.Errorf("geoip %s: %w", d.path, err)
	}
	sum := sha256.Sum256(data)
	if sum == d.sum && d.reader.Load() != nil {
		d.stat = st
		return false, nil
	}
	reader, err := maxminddb.OpenBytes(data)
	if err != nil {
		return false, fmt.Errorf("geoip %s: not a MaxMind database: %w", d.path, err)
	}
	if err := reader.Verify(); err != nil {
		return false, fmt.Errorf("geoip %s: corrupt database: %w", d.path, err)
	}
	d.sum, d.stat = sum, st // only now: a half-written file is read again next poll
	d.reader.Store(reader)
	return true, nil
}

// Lookup returns what the database says about addr, the client's network
// address. Bits is the database network's prefix length, also when addr is
// not found, so the answer's scope covers exactly the addresses alike.
func (d *DB) Lookup(addr netip.Addr) policy.GeoInfo {
	result := d.reader.Load().Lookup(addr)
	info := policy.GeoInfo{Bits: result.Prefix().Bits()}
	if info.Bits < 0 {
		info.Bits = 0
	}
	if !result.Found() {
		return info
	}
	var rec record
	if err := result.Decode(&rec); err != nil {
		return info
	}
	rec.fill(&info)
	return info
}
