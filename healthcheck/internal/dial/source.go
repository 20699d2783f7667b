package dial

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// A probe's source is one local address, so it reaches targets of its own
// family only. An IP target of the other family is refused before any
// dial (CheckSource); a host name is resolved and its addresses of the
// source's family dialled, and one with none fails (ExplainSource).

// CheckSource returns why addr, HOST:PORT, cannot be dialled from source:
// it is an IP address of the other family. Nil for a zero source or a name.
func CheckSource(addr string, source netip.Addr) error {
	ap, err := netip.ParseAddrPort(addr)
	if !source.IsValid() || err != nil {
		return nil
	}
	if target := ap.Addr().Unmap(); target.Is4() != source.Unmap().Is4() {
		return fmt.Errorf("source %s is %s, target %s is %s: a probe leaves from an address of its target's family",
			source, family(source), addr, family(target))
	}
	return nil
}

// LocalAddr is source as the local address of a net.Dialer on network
// ("tcp" or "udp"); nil, not a typed nil, for a zero source.
func LocalAddr(network string, source netip.Addr) net.Addr {
	if !source.IsValid() {
		return nil
	}
	if network == "udp" {
		return net.UDPAddrFromAddrPort(netip.AddrPortFrom(source.Unmap(), 0))
	}
	return net.TCPAddrFromAddrPort(netip.AddrPortFrom(source.Unmap(), 0))
}

// ExplainSource says what net.Dialer means when it finds no address of
// addr to dial from source: the name has none of the source's family.
func ExplainSource(err error, addr string, source netip.Addr) error {
	var ae *net.AddrError
	if err == nil || !source.IsValid() || !errors.As(err, &ae) || ae.Err != "no suitable address found" {
		return err
	}
	return fmt.Errorf("%s has no %s address to probe from source %s: %w", addr, family(source), source, err)
}

func family(a netip.Addr) string {
	if a.Unmap().Is4() {
		return "IPv4"
	}
	return "IPv6"
}
