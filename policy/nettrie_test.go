package policy

import (
	"net/netip"
	"testing"
)

func TestNetTrieScope(t *testing.T) {
	var trie netTrie
	trie.insert(netip.MustParsePrefix("10.0.0.0/8"), 0)      // A
	trie.insert(netip.MustParsePrefix("10.1.0.0/16"), 1)     // B
	trie.insert(netip.MustParsePrefix("10.1.2.0/24"), 1)     // B again, nested in B
	trie.insert(netip.MustParsePrefix("2001:db8::/32"), 0)   // A
	trie.insert(netip.MustParsePrefix("2001:db8:1::/48"), 1) // B
	trie.seal()
	tests := []struct {
		client    string // the client's network address
		pool      int
		scope     int
		rationale string
	}{
		{"10.2.3.0", 0, 15, "docs/ecs.md C3: 10.2.0.0/15 holds no more specific prefix"},
		{"10.1.5.0", 1, 16, "matched 10.1/16; the nested /24 has the same pool"},
		{"10.1.2.0", 1, 24, "longest match"},
		{"10.0.0.0", 0, 16, "C4: a /8 client straddles 10.1/16: scope above the source"},
		{"10.128.0.0", 0, 9, "10.128.0.0/9 is the widest network without 10.1/16"},
		{"198.51.100.0", -1, 1, "C3: the default answer must not cover 10/8"},
		{"11.0.0.0", -1, 8, "11/8 and 10/8 share 7 bits: scope 8 excludes 10/8"},
		{"2001:db8:2::", 0, 47, "IPv6: 2001:db8:0::/47 excludes the /48"},
		{"2001:db8:1:5::", 1, 48, "IPv6 nested match"},
		{"2001:db9::", -1, 32, "IPv6 default next to 2001:db8::/32"},
	}
	for _, tc := range tests {
		pool, scope := trie.lookup(netip.MustParseAddr(tc.client))
		if pool != tc.pool || scope != tc.scope {
			t.Errorf("%s: pool %d scope %d, want pool %d scope %d (%s)", tc.client, pool, scope, tc.pool, tc.scope, tc.rationale)
		}
	}
}

// TestNetTrieScopeIsSound checks the scope rule by brute force: every
// address inside the returned scope gets the same pool as the client.
func TestNetTrieScopeIsSound(t *testing.T) {
	var trie netTrie
	routes := map[string]int{"10.0.0.0/8": 0, "10.1.0.0/16": 1, "10.1.128.0/17": 0, "10.200.0.0/14": 2, "192.0.2.0/24": 1}
	for p, pool := range routes {
		trie.insert(netip.MustParsePrefix(p), pool)
	}
	trie.seal()
	longest := func(a netip.Addr) int {
		best, bits := -1, -1
		for p, pool := range routes {
			if pp := netip.MustParsePrefix(p); pp.Contains(a) && pp.Bits() > bits {
				best, bits = pool, pp.Bits()
			}
		}
		return best
	}
	for _, client := range []string{"10.2.3.0", "10.1.3.0", "10.1.200.0", "10.201.0.0", "10.204.0.0", "192.0.2.0", "192.0.3.0", "8.8.8.0", "10.0.0.0"} {
		addr := netip.MustParseAddr(client)
		pool, scope := trie.lookup(addr)
		if pool != longest(addr) {
			t.Fatalf("%s: pool %d, want %d", client, pool, longest(addr))
		}
		cover := netip.PrefixFrom(addr, scope).Masked()
		// Every route's first address inside the cover must agree.
		for p := range routes {
			edge := netip.MustParsePrefix(p).Addr()
			if cover.Contains(edge) && longest(edge) != pool {
				t.Errorf("%s: scope /%d (%s) covers %s, which gets pool %d, not %d", client, scope, cover, edge, longest(edge), pool)
			}
		}
	}
}
