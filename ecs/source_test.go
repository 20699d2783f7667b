package ecs

import (
	"net"
	"net/netip"
	"testing"
)

type otherAddr string

func (a otherAddr) Network() string { return "other" }
func (a otherAddr) String() string  { return string(a) }

func TestSource(t *testing.T) {
	tests := []struct {
		name string
		addr net.Addr
		want string
	}{
		{"udp IPv4", &net.UDPAddr{IP: net.ParseIP("192.0.2.1"), Port: 53}, "192.0.2.1"},
		{"udp IPv4-mapped is unmapped", &net.UDPAddr{IP: net.ParseIP("::ffff:192.0.2.1"), Port: 53}, "192.0.2.1"},
		{"tcp IPv6", &net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 53}, "2001:db8::1"},
		{"tcp IPv4-mapped is unmapped", &net.TCPAddr{IP: net.ParseIP("::ffff:198.51.100.7"), Port: 53}, "198.51.100.7"},
		{"other transport", otherAddr("[::ffff:203.0.113.5]:853"), "203.0.113.5"},
		{"unparsable", otherAddr("not an address"), "invalid IP"},
		{"nil", nil, "invalid IP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Source(tc.addr)
			if got.String() != tc.want {
				t.Fatalf("Source(%v) = %s, want %s", tc.addr, got, tc.want)
			}
			if got.IsValid() && got != netip.MustParseAddr(tc.want) {
				t.Fatalf("Source(%v) = %#v, not the plain address", tc.addr, got)
			}
		})
	}
}
