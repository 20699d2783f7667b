package signer

import (
	"strings"
	"time"
)

// timing is when a key is in the zone's DNSKEY RRset (from publish until
// delete) and when it signs (from activate until inactive), as
// dnssec-keygen -P, -A, -I and -D write them in the .private file: what a
// rollover is planned with. A time not set does not limit.
type timing struct {
	publish, activate, inactive, delete time.Time
}

// readTiming reads the timing lines of a .private file.
func readTiming(private string) timing {
	var t timing
	for _, line := range strings.Split(private, "\n") {
		field, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		at, err := time.Parse("20060102150405", strings.TrimSpace(value))
		if err != nil {
			continue
		}
		switch field {
		case "Publish":
			t.publish = at
		case "Activate":
			t.activate = at
		case "Inactive":
			t.inactive = at
		case "Delete":
			t.delete = at
		}
	}
	return t
}

// published says whether the key is in the DNSKEY RRset at now.
func (t timing) published(now time.Time) bool {
	return !now.Before(t.publish) && (t.delete.IsZero() || now.Before(t.delete))
}

// active says whether the key signs at now.
func (t timing) active(now time.Time) bool {
	return t.published(now) && !now.Before(t.activate) && (t.inactive.IsZero() || now.Before(t.inactive))
}
