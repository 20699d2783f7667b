package ecs

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/miekg/dns"
)

// mustSubnet validates q as Find does.
func mustSubnet(t *testing.T, q *dns.EDNS0_SUBNET) *Subnet {
	t.Helper()
	s, err := Find(queryWith(newOPT(q)))
	if err != nil || s == nil {
		t.Fatalf("Find(%v) = %v, %v", q, s, err)
	}
	return s
}

// optionWire returns the option data of e as packed by miekg: FAMILY (2),
// SOURCE (1), SCOPE (1), then ceil(SOURCE/8) ADDRESS octets.
func optionWire(t *testing.T, e *dns.EDNS0_SUBNET) []byte {
	t.Helper()
	m := new(dns.Msg) // no question: the OPT RR starts right after the header
	m.Extra = []dns.RR{newOPT(e)}
	buf, err := m.Pack()
	if err != nil {
		t.Fatalf("option %v (family %d) does not pack: %v", e, e.Family, err)
	}
	// header 12, root name 1, type 2, class 2, ttl 4, rdlength 2, code 2, length 2
	const start = 12 + 1 + 2 + 2 + 4 + 2 + 2 + 2
	if len(buf) < start {
		t.Fatalf("packed OPT too short: %x", buf)
	}
	return buf[start:]
}

// sameEcho checks B2 on the wire: the reply option's bytes equal the
// query's except the SCOPE octet.
func sameEcho(t *testing.T, q, r *dns.EDNS0_SUBNET) {
	t.Helper()
	qw, rw := optionWire(t, q), optionWire(t, r)
	if len(qw) != len(rw) || !bytes.Equal(qw[:3], rw[:3]) || !bytes.Equal(qw[4:], rw[4:]) {
		t.Errorf("B2: reply option %x, query option %x: FAMILY, SOURCE or ADDRESS differ", rw, qw)
	}
}

func TestReply(t *testing.T) {
	v4 := netip.MustParseAddr("192.0.2.53")
	v6 := netip.MustParseAddr("2001:db8::53")
	tests := []struct {
		name      string
		query     *dns.EDNS0_SUBNET
		wire      bool // send the query through Pack/Unpack first
		scope     int
		transport netip.Addr
		want      uint8 // SCOPE in the reply
	}{
		{"IPv4 /24 scope 24", ecsOption(1, "192.0.2.0", 24, 0), false, 24, v4, 24},
		{"IPv4 /24 scope 24 over the wire", ecsOption(1, "192.0.2.0", 24, 0), true, 24, v6, 24},
		{"IPv4 /32 scope 24 (SCOPE < SOURCE)", ecsOption(1, "192.0.2.1", 32, 0), false, 24, v4, 24},
		{"IPv4 /16 scope 16", ecsOption(1, "198.51.0.0", 16, 0), true, 16, v4, 16},
		{"C4 IPv4 /16 scope 24 (SCOPE > SOURCE)", ecsOption(1, "198.51.0.0", 16, 0), false, 24, v4, 24},
		{"C1 IPv4 scope 0", ecsOption(1, "192.0.2.0", 24, 0), false, 0, v4, 0},
		{"negative scope is 0", ecsOption(1, "192.0.2.0", 24, 0), false, -1, v4, 0},
		{"C9 IPv4 scope capped at 32", ecsOption(1, "192.0.2.0", 24, 0), false, 40, v4, 32},
		{"IPv6 /56 scope 56", ecsOption(2, "2001:db8::", 56, 0), true, 56, v6, 56},
		{"IPv6 /64 scope 56", ecsOption(2, "2001:db8:0:100::", 64, 0), false, 56, v4, 56},
		{"C9 IPv6 scope capped at 128", ecsOption(2, "2001:db8::", 56, 0), false, 200, v6, 128},
		{"C1 IPv6 scope 0", ecsOption(2, "2001:db8::", 56, 0), true, 0, v6, 0},
		{"D2 IPv4-mapped /120 scope 24 → 120", ecsOption(2, "::ffff:192.0.2.0", 120, 0), false, 24, v4, 120},
		{"D2 IPv4-mapped /120 scope 24 over the wire", ecsOption(2, "::ffff:192.0.2.0", 120, 0), true, 24, v6, 120},
		{"D2 IPv4-mapped /120 scope 8 → 104", ecsOption(2, "::ffff:10.1.2.0", 120, 0), false, 8, v4, 104},
		{"C9 IPv4-mapped scope capped at 128", ecsOption(2, "::ffff:192.0.2.0", 120, 0), false, 40, v4, 128},
		{"C1 IPv4-mapped scope 0 stays 0", ecsOption(2, "::ffff:192.0.2.0", 120, 0), false, 0, v4, 0},
		{"C5 family 1 SOURCE 0", ecsOption(1, "0.0.0.0", 0, 0), false, 24, v4, 0},
		{"C5 family 1 SOURCE 0 over the wire", ecsOption(1, "0.0.0.0", 0, 0), true, 24, v4, 0},
		{"C5 family 2 SOURCE 0", ecsOption(2, "::", 0, 0), true, 56, v6, 0},
		{"A5 query SCOPE 24, server scope 0", ecsOption(1, "192.0.2.0", 24, 24), true, 0, v4, 0},
		{"A5 query SCOPE 24, server scope 16", ecsOption(1, "192.0.2.0", 24, 24), true, 16, v4, 16},
		{"A5 query SCOPE 128, server scope 56", ecsOption(2, "2001:db8::", 56, 128), false, 56, v6, 56},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.query
			if tc.wire {
				q = overWire(t, queryWith(newOPT(q))).IsEdns0().Option[0].(*dns.EDNS0_SUBNET)
			}
			queryScope := q.SourceScope
			s := mustSubnet(t, q)
			r := s.Reply(tc.scope, tc.transport)
			if r.Code != dns.EDNS0SUBNET {
				t.Errorf("Code = %d, want %d", r.Code, dns.EDNS0SUBNET)
			}
			if r.Family != q.Family || r.SourceNetmask != q.SourceNetmask || !bytes.Equal(r.Address, q.Address) {
				t.Errorf("B2: reply %d/%v/%d, query %d/%v/%d", r.Family, r.Address, r.SourceNetmask, q.Family, q.Address, q.SourceNetmask)
			}
			if r.SourceScope != tc.want {
				t.Errorf("SCOPE = %d, want %d", r.SourceScope, tc.want)
			}
			if q.SourceScope != queryScope {
				t.Errorf("Reply changed the query's SCOPE to %d", q.SourceScope)
			}
			sameEcho(t, q, r)
			if back := overWireOption(t, r); back.SourceScope != tc.want {
				t.Errorf("SCOPE on the wire = %d, want %d", back.SourceScope, tc.want)
			}
		})
	}
}

// TestReplyFamilyZero covers B5: a FAMILY 0 / SOURCE 0 query is answered
// with the transport's family, SOURCE 0, SCOPE 0 and no address octets.
func TestReplyFamilyZero(t *testing.T) {
	tests := []struct {
		name      string
		transport netip.Addr
		family    uint16
	}{
		{"IPv4 transport", netip.MustParseAddr("192.0.2.53"), 1},
		{"IPv6 transport", netip.MustParseAddr("2001:db8::53"), 2},
		{"loopback IPv6 transport", netip.IPv6Loopback(), 2},
		{"no transport address", netip.Addr{}, 1},
	}
	for _, tc := range tests {
		for _, wire := range []bool{false, true} {
			name := tc.name
			if wire {
				name += " over the wire"
			}
			t.Run(name, func(t *testing.T) {
				q := ecsOption(0, "", 0, 0)
				if wire {
					q = overWire(t, queryWith(newOPT(q))).IsEdns0().Option[0].(*dns.EDNS0_SUBNET)
				}
				s := mustSubnet(t, q)
				for _, scope := range []int{0, 24, 56} {
					r := s.Reply(scope, tc.transport)
					if r.Family != tc.family || r.SourceNetmask != 0 || r.SourceScope != 0 {
						t.Errorf("Reply(%d) = %d/%d/%d, want %d/0/0", scope, r.Family, r.SourceNetmask, r.SourceScope, tc.family)
					}
					if !r.Address.IsUnspecified() {
						t.Errorf("Reply(%d) address %v, want unspecified", scope, r.Address)
					}
					w := optionWire(t, r) // packs: FAMILY 1 needs a 4-byte-capable address
					want := []byte{0, byte(tc.family), 0, 0}
					if !bytes.Equal(w, want) {
						t.Errorf("Reply(%d) on the wire %x, want %x (no address octets)", scope, w, want)
					}
				}
				if q.Family != 0 {
					t.Errorf("Reply changed the query's FAMILY to %d", q.Family)
				}
			})
		}
	}
}

// TestReplyDoesNotAliasQuery checks the reply option is a new value: a
// writer that rewrites it must not change the query's option.
func TestReplyDoesNotAliasQuery(t *testing.T) {
	q := ecsOption(1, "192.0.2.0", 24, 0)
	s := mustSubnet(t, q)
	r := s.Reply(24, netip.MustParseAddr("192.0.2.53"))
	if r == q {
		t.Fatal("Reply returned the query's option")
	}
	r.SourceScope = 7
	if q.SourceScope != 0 {
		t.Errorf("query SCOPE became %d", q.SourceScope)
	}
}

func TestPrivateBlock(t *testing.T) {
	tests := []struct {
		prefix string
		block  string // "" when not private
	}{
		{"10.1.2.0/24", "10.0.0.0/8"},
		{"10.0.0.0/8", "10.0.0.0/8"},
		{"10.255.255.255/32", "10.0.0.0/8"},
		{"172.20.0.0/16", "172.16.0.0/12"},
		{"172.31.255.0/24", "172.16.0.0/12"},
		{"192.168.1.0/24", "192.168.0.0/16"},
		{"100.64.1.0/24", "100.64.0.0/10"},
		{"127.0.0.0/24", "127.0.0.0/8"},
		{"169.254.1.0/24", "169.254.0.0/16"},
		{"fd00::/64", "fc00::/7"},
		{"fc00::/7", "fc00::/7"},
		{"fe80::/64", "fe80::/10"},
		{"::1/128", "::1/128"},
		// D1': documentation blocks stay usable test networks.
		{"192.0.2.0/24", ""},
		{"198.51.100.0/24", ""},
		{"203.0.113.0/24", ""},
		{"2001:db8::/32", ""},
		{"2001:db8::/56", ""},
		// Wider than the block: the subnet is not all private.
		{"10.0.0.0/7", ""},
		{"172.0.0.0/8", ""},
		{"fc00::/6", ""},
		{"0.0.0.0/0", ""},
		{"::/0", ""},
		// Next to a block.
		{"172.32.0.0/16", ""},
		{"172.15.0.0/16", ""},
		{"11.0.0.0/24", ""},
		{"8.8.8.0/24", ""},
		{"fe00::/64", ""},
		{"::/128", ""},
	}
	for _, tc := range tests {
		t.Run(tc.prefix, func(t *testing.T) {
			block, ok := PrivateBlock(netip.MustParsePrefix(tc.prefix))
			if tc.block == "" {
				if ok {
					t.Errorf("PrivateBlock(%s) = %v, true; want not private", tc.prefix, block)
				}
				return
			}
			if !ok || block != netip.MustParsePrefix(tc.block) {
				t.Errorf("PrivateBlock(%s) = %v, %v; want %s, true", tc.prefix, block, ok, tc.block)
			}
		})
	}
}
