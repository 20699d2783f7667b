//go:build !race

// The race detector instruments every function and so changes every
// frame; what this test holds is the stack of the server as built, so it
// runs without it, as plugin/stack_test.go does.

package geoip

import (
	"net/netip"
	"testing"

	"github.com/gslb/gslb/internal/stacktest"
)

// Lookup runs on the DNS query path, on miekg/dns's new goroutine per UDP
// query (see internal/stacktest).

// minHeadroom: with go1.26 on amd64 a full City record leaves 6,272 bytes
// (an ASN record 6,336, a miss 6,400), where this harness alone leaves
// 7,104: Lookup uses about 830 bytes. The reflection decoder it replaced
// left 4,288 here, and no headroom at all on the plugin's query path. The
// bound keeps two pad frames of margin for compiler and library changes.
const minHeadroom = 6 << 10

func TestLookupStack(t *testing.T) {
	db := benchDB(t)
	for _, a := range []string{"192.0.2.1", "198.51.100.1", "10.1.2.3"} { // City, ASN, none
		addr := netip.MustParseAddr(a)
		got := stacktest.Headroom(t, func() { db.Lookup(addr) })
		t.Logf("Lookup(%s): %d bytes of headroom in an 8 KiB stack", addr, got)
		if got < minHeadroom {
			t.Errorf("Lookup(%s) leaves %d bytes of headroom, want at least %d", addr, got, minHeadroom)
		}
	}
}
