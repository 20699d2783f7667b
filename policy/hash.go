package policy

import (
	"math"
	"net/netip"
)

// Client is what an answer may depend on: the client's address (from ECS or
// the transport) and how many of its leading bits are known.
type Client struct {
	Addr netip.Addr
	Bits int
	Geo  GeoInfo // filled in for records that need it
}

// Sticky hashing keys on the client's subnet, the unit resolvers cache
// ECS answers for: /24 for IPv4, /56 for IPv6.
const (
	stickyBits4 = 24
	stickyBits6 = 56
)

// stickyKey hashes the client's subnet and returns how many bits of the
// address went into it.
func stickyKey(c *Client) (key uint64, bits int) {
	if !c.Addr.IsValid() {
		return 0, 0
	}
	bits = stickyBits6
	if c.Addr.Is4() {
		bits = stickyBits4
	}
	prefix, err := c.Addr.Prefix(min(bits, c.Bits))
	if err != nil {
		return 0, 0
	}
	a := prefix.Addr().As16()
	return hashBytes(a[:]) ^ uint64(prefix.Bits()), prefix.Bits()
}

// hashBytes is FNV-1a with a final mix, so nearby subnets spread apart.
func hashBytes(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return mix(h)
}

func hashString(s string) uint64 { return hashBytes([]byte(s)) }

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// rendezvousScore is the weighted highest-random-weight score of one
// candidate: when a candidate leaves, only the clients it had move.
func rendezvousScore(key, seed, weight uint64) float64 {
	return float64(weight) / rendezvousDraw(key, seed)
}

// rendezvousDraw is the candidate's part of its score, the same at every
// weight: rendezvousScore is the weight divided by it.
func rendezvousDraw(key, seed uint64) float64 {
	u := (float64(mix(key^seed)>>11) + 0.5) / (1 << 53)
	return -math.Log(u)
}
