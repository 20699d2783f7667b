package geoip

import "github.com/oschwald/maxminddb-golang/v2/mmdbdata"

// entries walks a map's keys and values in order. It counts entries over
// a MapReader, whose frames are about half a MapCursor's: Lookup runs on
// a DNS server's small new goroutine stacks. Reader.Verify has checked
// the data's structure when the database was loaded.
type entries struct {
	at   mmdbdata.Cursor // the next key
	left uint
}

func entriesOf(c mmdbdata.Cursor) (entries, error) {
	m, err := c.MapReader()
	return entries{m.First(), m.Len()}, err
}

// next returns the next key and its value, and moves past them; ok is
// false after the last entry or on an error.
func (e *entries) next() (key []byte, value mmdbdata.Cursor, ok bool, err error) {
	if e.left == 0 {
		return nil, value, false, nil
	}
	e.left--
	key, value, err = e.at.ReadMapKey()
	if err == nil {
		e.at, err = value.Skip()
	}
	return key, value, err == nil, err
}

// find returns the value of key in the map at c. A map holds a key once,
// so it stops at the first match. It walks the map itself rather than
// through entries: a frame less on the deepest path of a lookup.
func find(c mmdbdata.Cursor, key string) (mmdbdata.Cursor, bool, error) {
	m, err := c.MapReader()
	at := m.First()
	for n := m.Len(); n > 0 && err == nil; n-- {
		var k []byte
		var v mmdbdata.Cursor
		k, v, err = at.ReadMapKey()
		if err == nil && string(k) == key {
			return v, true, nil
		}
		if err == nil {
			at, err = v.Skip()
		}
	}
	return mmdbdata.Cursor{}, false, err
}

// text returns the string find found, nil if it found none. ReadMapKey
// reads a string, through a pointer if need be, without copying it (a map
// key is a string like any other), where ReadString would allocate or
// fill the library's 72 KiB string cache. Small enough to be inlined, so
// that it is no frame between read and find.
func text(v mmdbdata.Cursor, ok bool, err error) ([]byte, error) {
	if !ok {
		return nil, err
	}
	s, _, err := v.ReadMapKey()
	return s, err
}
