// Package ecs finds the client address an answer is tailored to: the EDNS
// Client Subnet option (RFC 7871) when there is one, else the transport
// source.
package ecs

import (
	"net"
	"net/netip"
)

// Source returns the transport source address of a query. IPv4 clients on
// dual-stack sockets arrive IPv4-mapped; they are unmapped so that IPv4
// routes match them.
func Source(addr net.Addr) netip.Addr {
	switch a := addr.(type) {
	case *net.UDPAddr:
		return a.AddrPort().Addr().Unmap()
	case *net.TCPAddr:
		return a.AddrPort().Addr().Unmap()
	}
	if addr == nil {
		return netip.Addr{}
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}
