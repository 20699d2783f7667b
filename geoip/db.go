// Package geoip reads MaxMind-format databases (City, Country, Enterprise,
// ASN) for client location routing, and reloads them when the file changes.
package geoip

import (
	"fmt"
	"net/netip"
	"sync/atomic"

	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/gslb/gslb/internal/filewatch"
	"github.com/gslb/gslb/policy"
)

// DB is a GeoIP database held in memory. Lookups read an immutable reader
// through an atomic pointer; a reload swaps in a new one.
type DB struct {
	path   string
	reader atomic.Pointer[maxminddb.Reader]
	file   *filewatch.Watcher
}

// Open reads and checks the database at path. A missing, unreadable or
// corrupt file is an error that names the file.
func Open(path string) (*DB, error) {
	d := &DB{path: path}
	d.file = filewatch.New(path, d.load, d.reported)
	if _, err := d.file.Check(); err != nil {
		return nil, d.wrap(err)
	}
	return d, nil
}

// Path returns the file the database is read from.
func (d *DB) Path() string { return d.path }

// load opens a new content and swaps it in.
func (d *DB) load(data []byte) error {
	reader, err := maxminddb.OpenBytes(data)
	if err != nil {
		return fmt.Errorf("not a MaxMind database: %w", err)
	}
	if err := reader.Verify(); err != nil {
		return fmt.Errorf("corrupt database: %w", err)
	}
	d.reader.Store(reader)
	return nil
}

func (d *DB) wrap(err error) error { return fmt.Errorf("geoip %s: %w", d.path, err) }

// Lookup returns what the database says about addr, the client's network
// address. Bits is the database network's prefix length, also when addr is
// not found, so the answer's scope covers exactly the addresses alike.
func (d *DB) Lookup(addr netip.Addr) policy.GeoInfo {
	result := d.reader.Load().Lookup(addr)
	info := policy.GeoInfo{Bits: max(result.Prefix().Bits(), 0)}
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
