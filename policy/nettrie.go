package policy

import "net/netip"

// netTrie maps the prefixes of net routes to pools: a binary trie per
// address family, in slices so a lookup follows indexes, not pointers.
type netTrie struct {
	nodes [2][]trieNode // per Family; index 0 is the root
}

type trieNode struct {
	child [2]int32 // 0: none (the root is never a child)
	pool  int32    // the route's pool, -1 when no prefix ends here
	// pools has bit i set when pool i ends somewhere in this subtree; bit
	// 63 stands for every pool from 63 on and never counts as "the same".
	pools uint64
}

func poolBit(pool int) uint64 {
	if pool < 0 || pool >= 63 {
		return 0
	}
	return 1 << pool
}

func familyOf(a netip.Addr) Family {
	if a.Is4() {
		return IPv4
	}
	return IPv6
}

// insert adds prefix → pool. Prefixes must be masked and distinct.
func (t *netTrie) insert(prefix netip.Prefix, pool int) {
	f := familyOf(prefix.Addr())
	if len(t.nodes[f]) == 0 {
		t.nodes[f] = []trieNode{{pool: -1}}
	}
	i, bits := int32(0), bitsOf(prefix.Addr())
	for d := range prefix.Bits() {
		b := bits.at(d)
		if t.nodes[f][i].child[b] == 0 {
			t.nodes[f] = append(t.nodes[f], trieNode{pool: -1})
			t.nodes[f][i].child[b] = int32(len(t.nodes[f]) - 1)
		}
		i = t.nodes[f][i].child[b]
	}
	t.nodes[f][i].pool = int32(pool)
	t.nodes[f][0].pools = 0 // recomputed by seal
}

// seal computes each subtree's pool set once all prefixes are in.
func (t *netTrie) seal() {
	for f := range t.nodes {
		if len(t.nodes[f]) > 0 {
			t.subtree(Family(f), 0)
		}
	}
}

func (t *netTrie) subtree(f Family, i int32) uint64 {
	n := &t.nodes[f][i]
	set := poolBit(int(n.pool))
	if n.pool >= 63 {
		set |= 1 << 63
	}
	for _, c := range n.child {
		if c != 0 {
			set |= t.subtree(f, c)
		}
	}
	n.pools = set
	return set
}

// addrBits is an address's bytes, IPv4 in the first four, taken out of
// the netip.Addr once: a lookup reads up to every bit twice, and taking
// the address apart for each bit was most of its time in the profile.
type addrBits [16]byte

func bitsOf(a netip.Addr) addrBits {
	if a.Is4() {
		v := a.As4()
		return addrBits{v[0], v[1], v[2], v[3]}
	}
	return a.As16()
}

// at returns bit d (0 = most significant).
func (b *addrBits) at(d int) int { return int(b[d/8]>>(7-d%8)) & 1 }

// lookup returns the pool of the longest prefix holding addr (-1 when
// none) and the ECS scope of that verdict (docs/ecs.md C3, C4): the matched
// prefix's length, widened past every more specific prefix with another
// pool that does not hold addr, so no resolver reuses the answer for it.
// addr is the client's network address: bits it does not know are zero.
func (t *netTrie) lookup(addr netip.Addr) (pool, scope int) {
	nodes := t.nodes[familyOf(addr)]
	if len(nodes) == 0 {
		return -1, 0
	}
	pool, matched := int(nodes[0].pool), 0
	i, bits, n := int32(0), bitsOf(addr), addr.BitLen()
	for d := 0; d < n; d++ {
		i = nodes[i].child[bits.at(d)]
		if i == 0 {
			break
		}
		if p := nodes[i].pool; p >= 0 {
			pool, matched = int(p), d+1
		}
	}
	same := poolBit(pool)
	scope, i = matched, 0
	for d := 0; d < n; d++ {
		b := bits.at(d)
		if other := nodes[i].child[1-b]; d >= matched && other != 0 && nodes[other].pools&^same != 0 {
			scope = d + 1
		}
		if i = nodes[i].child[b]; i == 0 {
			break
		}
	}
	return pool, scope
}
