package signer

import (
	"testing"

	"github.com/miekg/dns"
)

// The key ignores the records' order and TTLs and the owner's case, and
// tells apart what a signature covers: the records, the owner, the type
// and the TTL signed with.
func TestHashRRset(t *testing.T) {
	a := hashRRset(aSet(30, "192.0.2.1", "192.0.2.2"), 30)
	if b := hashRRset(aSet(15, "192.0.2.2", "192.0.2.1"), 30); a != b {
		t.Error("another order or served TTL gave another key")
	}
	upper := aSet(30, "192.0.2.1", "192.0.2.2")
	upper[0].Header().Name, upper[1].Header().Name = "APP.gslb.test.", "APP.gslb.test."
	if hashRRset(upper, 30) != a {
		t.Error("the owner's case gave another key")
	}
	for _, other := range [][]dns.RR{aSet(30, "192.0.2.1"), aSet(30, "192.0.2.1", "192.0.2.3")} {
		if hashRRset(other, 30) == a {
			t.Errorf("%v: the same key as another RRset", other)
		}
	}
	if hashRRset(aSet(30, "192.0.2.1", "192.0.2.2"), 60) == a {
		t.Error("another TTL signed with gave the same key")
	}
	set := aSet(30, "192.0.2.1", "192.0.2.2")
	if n := testing.AllocsPerRun(100, func() { hashRRset(set, 30) }); n != 0 {
		t.Errorf("hashing two addresses allocates %v times, want none", n)
	}
}
