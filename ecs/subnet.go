package ecs

import (
	"errors"
	"net/netip"

	"github.com/miekg/dns"
)

// Reasons a query is refused with FORMERR (RFC 7871 §6, §7.1.2; RFC 6891 §6.1.1).
var (
	ErrTwoOPT      = errors.New("more than one OPT record")
	ErrTwoECS      = errors.New("more than one client subnet option")
	ErrFamily      = errors.New("client subnet family is not 1 or 2 (or 0 with prefix 0)")
	ErrSourceRange = errors.New("client subnet source prefix longer than the family allows")
	ErrHostBits    = errors.New("client subnet address has bits set beyond the source prefix")
)

// Subnet is the client subnet option of a query, validated.
type Subnet struct {
	// Option is the query's option, echoed in the reply with FAMILY,
	// SOURCE PREFIX-LENGTH and ADDRESS unchanged.
	Option *dns.EDNS0_SUBNET
	// Prefix is the network to route by: the option's address and source
	// prefix, with an IPv4-mapped IPv6 prefix of /96 or longer turned into
	// the IPv4 prefix it carries.
	Prefix netip.Prefix
	// ScopeOffset is added to a scope computed on Prefix to express it in
	// the option's family: 96 for IPv4-mapped prefixes, else 0.
	ScopeOffset int
}

// Find returns the client subnet option of r, nil when there is none, or
// the reason r must be answered with FORMERR.
func Find(r *dns.Msg) (*Subnet, error) {
	var opt *dns.OPT
	for _, rr := range r.Extra {
		if o, ok := rr.(*dns.OPT); ok {
			if opt != nil {
				return nil, ErrTwoOPT
			}
			opt = o
		}
	}
	if opt == nil {
		return nil, nil
	}
	var found *dns.EDNS0_SUBNET
	for _, o := range opt.Option {
		if e, ok := o.(*dns.EDNS0_SUBNET); ok {
			if found != nil {
				return nil, ErrTwoECS
			}
			found = e
		}
	}
	if found == nil {
		return nil, nil
	}
	return parse(found)
}

// parse validates one option. miekg/dns already rejects most malformed
// options while unpacking; messages built in-process are checked here too.
func parse(e *dns.EDNS0_SUBNET) (*Subnet, error) {
	bits := int(e.SourceNetmask)
	var addr netip.Addr
	switch e.Family {
	case 0:
		if bits != 0 {
			return nil, ErrFamily
		}
		return &Subnet{Option: e}, nil
	case 1:
		if bits > 32 {
			return nil, ErrSourceRange
		}
		a, ok := netip.AddrFromSlice(e.Address.To4())
		if !ok && bits > 0 {
			return nil, ErrFamily
		}
		addr = a
		if !ok {
			addr = netip.IPv4Unspecified()
		}
	case 2:
		if bits > 128 {
			return nil, ErrSourceRange
		}
		a, ok := netip.AddrFromSlice(e.Address.To16())
		if !ok && bits > 0 {
			return nil, ErrFamily
		}
		addr = a
		if !ok {
			addr = netip.IPv6Unspecified()
		}
	default:
		return nil, ErrFamily
	}
	prefix := netip.PrefixFrom(addr, bits)
	if prefix.Masked().Addr() != addr {
		return nil, ErrHostBits
	}
	s := &Subnet{Option: e, Prefix: prefix}
	if addr.Is4In6() && bits >= 96 {
		s.Prefix, s.ScopeOffset = netip.PrefixFrom(addr.Unmap(), bits-96), 96
	}
	return s, nil
}

// Reason names a FORMERR reason for metrics: two_opt, two_ecs, family,
// source_range, host_bits, or other.
func Reason(err error) string {
	switch err {
	case ErrTwoOPT:
		return "two_opt"
	case ErrTwoECS:
		return "two_ecs"
	case ErrFamily:
		return "family"
	case ErrSourceRange:
		return "source_range"
	case ErrHostBits:
		return "host_bits"
	}
	return "other"
}
