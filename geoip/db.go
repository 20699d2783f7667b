// Package geoip reads MaxMind-format databases (City, Country, Enterprise,
// ASN) for client location routing, and reloads them when the file changes.
package geoip

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"sync/atomic"

	"github.com/oschwald/maxminddb-golang/v2"
	"github.com/oschwald/maxminddb-golang/v2/mmdbdata"

	"github.com/gslb/gslb/internal/filewatch"
	"github.com/gslb/gslb/policy"
)

// DB is a GeoIP database held in memory. Lookups read an immutable content
// through an atomic pointer; a reload swaps in a new one.
type DB struct {
	path    string
	current atomic.Pointer[content]
	file    *filewatch.Watcher
}

// content is one database: the reader finds an address's record in the
// search tree, and records reads that record from the data section.
// Records are read through a decoder of gslb's own rather than the
// reader's Result.Decode: that calls a custom decoder through an interface,
// which moves the decoded value to the heap on every lookup.
type content struct {
	reader  *maxminddb.Reader
	records *mmdbdata.Decoder
}

// Open reads and checks the database at path. A missing, unreadable or
// corrupt file is an error that names the file.
func Open(path string) (*DB, error) {
	d := &DB{path: path}
	d.file = filewatch.New(path, 0, d.load, d.reported) // a database is as big as it is
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
	records, err := dataSection(data, reader.Metadata)
	if err != nil {
		return fmt.Errorf("corrupt database: %w", err)
	}
	// No string cache: codes are read as bytes and interned here.
	d.current.Store(&content{reader, mmdbdata.NewDecoder(records, 0)})
	return nil
}

// dataSection is the part of data Result.Offset counts in: after the
// search tree and 16 zero bytes, up to the metadata marker (the MaxMind DB
// format, as the reader itself finds it).
func dataSection(data []byte, meta maxminddb.Metadata) ([]byte, error) {
	start := meta.NodeCount*(meta.RecordSize/4) + 16
	end := bytes.LastIndex(data, []byte("\xAB\xCD\xEFMaxMind.com"))
	if end < 0 || start > uint(end) {
		return nil, errors.New("no data section")
	}
	return data[start:end], nil
}

func (d *DB) wrap(err error) error { return fmt.Errorf("geoip %s: %w", d.path, err) }

// Lookup returns what the database says about addr, the client's network
// address. Bits is the database network's prefix length, also when addr is
// not found, so the answer's scope covers exactly the addresses alike. A
// record the schemas do not fit is found with nothing known, as before.
func (d *DB) Lookup(addr netip.Addr) (info policy.GeoInfo) {
	c := d.current.Load()
	offset, bits, found := c.search(addr)
	info.Bits = bits
	if found && read(c.records.CursorAt(offset), &info) != nil {
		info = policy.GeoInfo{Bits: bits}
	}
	return info
}

// search finds addr's record. It and where are out of line, so that the
// Result and the copies of it the compiler makes (64 bytes each) are not
// on the stack while the record is read, nor where's while the tree is.
//
//go:noinline
func (c *content) search(addr netip.Addr) (offset uint, bits int, found bool) {
	result := c.reader.Lookup(addr)
	return where(&result)
}

//go:noinline
func where(r *maxminddb.Result) (offset uint, bits int, found bool) {
	return uint(r.Offset()), max(r.Prefix().Bits(), 0), r.Found()
}
