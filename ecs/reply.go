package ecs

import (
	"net"
	"net/netip"

	"github.com/miekg/dns"
)

// Reply returns the option for the reply: FAMILY, SOURCE PREFIX-LENGTH and
// ADDRESS exactly as asked, and scope, the number of leading bits of the
// routing prefix the answer depends on. transport is the query's source
// address, which names the family of a FAMILY 0 privacy query (docs/ecs.md B5).
func (s *Subnet) Reply(scope int, transport netip.Addr) *dns.EDNS0_SUBNET {
	q := s.Option
	e := &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: q.Family, SourceNetmask: q.SourceNetmask, Address: q.Address}
	if q.Family == 0 {
		e.Family, e.Address = 1, net.IPv4zero
		if transport.Is6() {
			e.Family, e.Address = 2, net.IPv6zero
		}
		return e // SOURCE 0: the answer is valid for no subnet but /0
	}
	if q.SourceNetmask == 0 || scope <= 0 {
		if e.Address == nil { // built in-process without one: pack needs the family's zero
			e.Address = net.IPv4zero
			if q.Family == 2 {
				e.Address = net.IPv6zero
			}
		}
		return e
	}
	limit := 32
	if q.Family == 2 {
		limit = 128
	}
	e.SourceScope = uint8(min(scope+s.ScopeOffset, limit))
	return e
}

// privateBlocks are the networks RFC 7871 §11.3 asks a public server to
// treat as the resolver's own identity: private, shared, loopback and
// link-local space. Documentation blocks stay routable test networks.
var privateBlocks = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("::1/128"),
}

// PrivateBlock returns the private block that contains prefix, if any.
func PrivateBlock(prefix netip.Prefix) (netip.Prefix, bool) {
	for _, b := range privateBlocks {
		if b.Overlaps(prefix) && prefix.Bits() >= b.Bits() {
			return b, true
		}
	}
	return netip.Prefix{}, false
}
