package ecs

import (
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/miekg/dns"
)

// ecsOption builds a client subnet option as a resolver would send it.
func ecsOption(family uint16, addr string, source, scope uint8) *dns.EDNS0_SUBNET {
	e := &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: family, SourceNetmask: source, SourceScope: scope}
	if addr != "" {
		e.Address = net.ParseIP(addr)
		if ip4 := e.Address.To4(); ip4 != nil && family == 1 {
			e.Address = ip4
		}
	}
	return e
}

// newOPT returns an OPT RR carrying opts.
func newOPT(opts ...dns.EDNS0) *dns.OPT {
	o := &dns.OPT{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeOPT}, Option: opts}
	o.SetUDPSize(1232)
	return o
}

// queryWith returns an A query for www.example. with extra in its
// additional section.
func queryWith(extra ...dns.RR) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion("www.example.", dns.TypeA)
	m.Extra = extra
	return m
}

// rawOption is a client subnet option given as its wire bytes: FAMILY,
// SOURCE, SCOPE, ADDRESS. miekg/dns packs it verbatim, and reads it back as
// an EDNS0_SUBNET, so it reaches Find in shapes miekg would never pack.
func rawOption(family uint16, source, scope uint8, addr ...byte) *dns.EDNS0_LOCAL {
	data := append([]byte{byte(family >> 8), byte(family), source, scope}, addr...)
	return &dns.EDNS0_LOCAL{Code: dns.EDNS0SUBNET, Data: data}
}

// overWire packs m and unpacks it, as a query arrives at the server.
func overWire(t testing.TB, m *dns.Msg) *dns.Msg {
	t.Helper()
	buf, err := m.Pack()
	if err != nil {
		t.Fatalf("pack: %v", err)
	}
	out := new(dns.Msg)
	if err := out.Unpack(buf); err != nil {
		t.Fatalf("unpack: %v", err)
	}
	return out
}

type findCase struct {
	name   string
	msg    *dns.Msg
	err    error  // expected error, nil for none
	none   bool   // Find returns nil, nil
	prefix string // expected Prefix, "" for the zero Prefix
	offset int    // expected ScopeOffset
}

func checkFind(t *testing.T, tc findCase) {
	t.Helper()
	s, err := Find(tc.msg)
	switch {
	case tc.err != nil:
		if !errors.Is(err, tc.err) {
			t.Fatalf("Find = %v, %v; want error %v", s, err, tc.err)
		}
		if s != nil {
			t.Fatalf("Find returned %+v with error %v", s, err)
		}
		return
	case err != nil:
		t.Fatalf("Find: unexpected error %v", err)
	case tc.none:
		if s != nil {
			t.Fatalf("Find = %+v, want nil", s)
		}
		return
	case s == nil:
		t.Fatal("Find = nil, want a subnet")
	}
	if s.Option == nil {
		t.Fatal("Subnet.Option is nil")
	}
	if tc.prefix == "" {
		if s.Prefix != (netip.Prefix{}) {
			t.Errorf("Prefix = %v, want the zero Prefix", s.Prefix)
		}
	} else {
		want := netip.MustParsePrefix(tc.prefix)
		if s.Prefix != want {
			t.Errorf("Prefix = %v (4: %v), want %v (4: %v)", s.Prefix, s.Prefix.Addr().Is4(), want, want.Addr().Is4())
		}
	}
	if s.ScopeOffset != tc.offset {
		t.Errorf("ScopeOffset = %d, want %d", s.ScopeOffset, tc.offset)
	}
}

func TestFind(t *testing.T) {
	tests := []findCase{
		{name: "no OPT", msg: queryWith(), none: true},
		{name: "OPT without ECS", msg: queryWith(newOPT()), none: true},
		{name: "OPT with other options only", msg: queryWith(newOPT(&dns.EDNS0_COOKIE{Code: dns.EDNS0COOKIE, Cookie: "0102030405060708"})), none: true},
		{name: "E3 two OPT RRs", msg: queryWith(newOPT(), newOPT()), err: ErrTwoOPT},
		{name: "E3 two OPT RRs, ECS in the second", msg: queryWith(newOPT(), newOPT(ecsOption(1, "192.0.2.0", 24, 0))), err: ErrTwoOPT},
		{name: "A6 two ECS options", msg: queryWith(newOPT(ecsOption(1, "192.0.2.0", 24, 0), ecsOption(1, "198.51.100.0", 24, 0))), err: ErrTwoECS},
		{name: "A6 two identical ECS options", msg: queryWith(newOPT(ecsOption(2, "2001:db8::", 56, 0), ecsOption(2, "2001:db8::", 56, 0))), err: ErrTwoECS},
		{name: "A1 family 3", msg: queryWith(newOPT(ecsOption(3, "192.0.2.0", 24, 0))), err: ErrFamily},
		{name: "A1 family 65535", msg: queryWith(newOPT(ecsOption(65535, "", 0, 0))), err: ErrFamily},
		{name: "A4 family 0 with source 8", msg: queryWith(newOPT(ecsOption(0, "0.0.0.0", 8, 0))), err: ErrFamily},
		{name: "A7 B5 family 0 source 0", msg: queryWith(newOPT(ecsOption(0, "", 0, 0))), prefix: ""},
		{name: "A7 family 1 source 0", msg: queryWith(newOPT(ecsOption(1, "0.0.0.0", 0, 0))), prefix: "0.0.0.0/0"},
		{name: "A7 family 2 source 0", msg: queryWith(newOPT(ecsOption(2, "::", 0, 0))), prefix: "::/0"},
		{name: "A3 source 33 for family 1", msg: queryWith(newOPT(ecsOption(1, "192.0.2.0", 33, 0))), err: ErrSourceRange},
		{name: "A3 source 129 for family 2", msg: queryWith(newOPT(ecsOption(2, "2001:db8::", 129, 0))), err: ErrSourceRange},
		{name: "A3 source 255 for family 1", msg: queryWith(newOPT(ecsOption(1, "192.0.2.0", 255, 0))), err: ErrSourceRange},
		{name: "A2 host bits IPv4", msg: queryWith(newOPT(ecsOption(1, "192.0.2.1", 24, 0))), err: ErrHostBits},
		{name: "A2 host bits IPv6", msg: queryWith(newOPT(ecsOption(2, "2001:db8::1", 32, 0))), err: ErrHostBits},
		{name: "A2 host bits IPv6 just past source", msg: queryWith(newOPT(ecsOption(2, "2001:db8:0:80::", 56, 0))), err: ErrHostBits},
		{name: "A2 host bits IPv4 source 0", msg: queryWith(newOPT(ecsOption(1, "192.0.2.0", 0, 0))), err: ErrHostBits},
		{name: "family 1 with an IPv6 address", msg: queryWith(newOPT(ecsOption(1, "2001:db8::", 24, 0))), err: ErrFamily},
		{name: "A5 non-zero SCOPE in the query is accepted", msg: queryWith(newOPT(ecsOption(1, "192.0.2.0", 24, 24))), prefix: "192.0.2.0/24"},
		{name: "A5 SCOPE wider than SOURCE is accepted", msg: queryWith(newOPT(ecsOption(2, "2001:db8::", 48, 64))), prefix: "2001:db8::/48"},
		{name: "IPv4 /24", msg: queryWith(newOPT(ecsOption(1, "192.0.2.0", 24, 0))), prefix: "192.0.2.0/24"},
		{name: "IPv4 /32", msg: queryWith(newOPT(ecsOption(1, "192.0.2.1", 32, 0))), prefix: "192.0.2.1/32"},
		{name: "IPv4 /16", msg: queryWith(newOPT(ecsOption(1, "198.51.0.0", 16, 0))), prefix: "198.51.0.0/16"},
		{name: "IPv4 given as a 16-byte address", msg: queryWith(newOPT(&dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: net.ParseIP("192.0.2.0").To16()})), prefix: "192.0.2.0/24"},
		{name: "D2 IPv4-mapped /120", msg: queryWith(newOPT(ecsOption(2, "::ffff:192.0.2.0", 120, 0))), prefix: "192.0.2.0/24", offset: 96},
		{name: "D2 IPv4-mapped /96", msg: queryWith(newOPT(ecsOption(2, "::ffff:0.0.0.0", 96, 0))), prefix: "0.0.0.0/0", offset: 96},
		{name: "D2 IPv4-mapped /128", msg: queryWith(newOPT(ecsOption(2, "::ffff:192.0.2.7", 128, 0))), prefix: "192.0.2.7/32", offset: 96},
		// ::ffff:0:0 has bits 80-95 set: with SOURCE < 96 they are beyond
		// the source prefix, so such an option is never IPv4-mapped.
		{name: "D2 IPv4-mapped with SOURCE 80 has host bits", msg: queryWith(newOPT(ecsOption(2, "::ffff:0:0", 80, 0))), err: ErrHostBits},
		{name: "D2 SOURCE < 96 stays IPv6", msg: queryWith(newOPT(ecsOption(2, "::", 80, 0))), prefix: "::/80"},
		{name: "D2 ::ffff:0:0/96 neighbour stays IPv6", msg: queryWith(newOPT(ecsOption(2, "::fffe:0:0", 96, 0))), prefix: "::fffe:0:0/96"},
		{name: "IPv6 /56", msg: queryWith(newOPT(ecsOption(2, "2001:db8::", 56, 0))), prefix: "2001:db8::/56"},
		{name: "IPv6 /64", msg: queryWith(newOPT(ecsOption(2, "2001:db8:0:100::", 64, 0))), prefix: "2001:db8:0:100::/64"},
		{name: "IPv6 /128", msg: queryWith(newOPT(ecsOption(2, "2001:db8::1", 128, 0))), prefix: "2001:db8::1/128"},
		{name: "ECS beside other options", msg: queryWith(newOPT(&dns.EDNS0_NSID{Code: dns.EDNS0NSID}, ecsOption(1, "203.0.113.0", 24, 0), &dns.EDNS0_PADDING{Padding: make([]byte, 4)})), prefix: "203.0.113.0/24"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkFind(t, tc) })
	}
}

// TestFindOverWire sends queries through miekg's Pack and Unpack first:
// miekg stores a FAMILY 1 address in 16 bytes (docs/ecs.md H9), and raw options
// reach Find in shapes miekg would never pack itself.
func TestFindOverWire(t *testing.T) {
	tests := []findCase{
		{name: "H9 IPv4 /24", msg: queryWith(newOPT(ecsOption(1, "192.0.2.0", 24, 0))), prefix: "192.0.2.0/24"},
		{name: "H9 IPv4 /32", msg: queryWith(newOPT(ecsOption(1, "203.0.113.9", 32, 0))), prefix: "203.0.113.9/32"},
		{name: "H9 IPv4 /0", msg: queryWith(newOPT(ecsOption(1, "0.0.0.0", 0, 0))), prefix: "0.0.0.0/0"},
		{name: "H9 IPv4 /20", msg: queryWith(newOPT(ecsOption(1, "198.51.96.0", 20, 0))), prefix: "198.51.96.0/20"},
		{name: "IPv6 /56", msg: queryWith(newOPT(ecsOption(2, "2001:db8::", 56, 0))), prefix: "2001:db8::/56"},
		{name: "D2 IPv4-mapped /120", msg: queryWith(newOPT(ecsOption(2, "::ffff:192.0.2.0", 120, 0))), prefix: "192.0.2.0/24", offset: 96},
		{name: "A7 B5 family 0 source 0", msg: queryWith(newOPT(ecsOption(0, "", 0, 0))), prefix: ""},
		{name: "A5 SCOPE in the query", msg: queryWith(newOPT(ecsOption(1, "192.0.2.0", 24, 16))), prefix: "192.0.2.0/24"},
		{name: "A2 raw host bits IPv4", msg: queryWith(newOPT(rawOption(1, 24, 0, 192, 0, 2, 1))), err: ErrHostBits},
		{name: "A2 raw host bits in the last octet of a /20", msg: queryWith(newOPT(rawOption(1, 20, 0, 198, 51, 100))), err: ErrHostBits},
		{name: "A2 raw host bits IPv6", msg: queryWith(newOPT(rawOption(2, 32, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 1))), err: ErrHostBits},
		{name: "raw IPv4 /24 with the exact octets", msg: queryWith(newOPT(rawOption(1, 24, 0, 192, 0, 2))), prefix: "192.0.2.0/24"},
		{name: "raw IPv4-mapped /104", msg: queryWith(newOPT(rawOption(2, 104, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10))), prefix: "10.0.0.0/8", offset: 96},
		{name: "A6 two raw ECS options", msg: queryWith(newOPT(rawOption(1, 24, 0, 192, 0, 2), rawOption(1, 24, 0, 198, 51, 100))), err: ErrTwoECS},
		{name: "E3 two OPT RRs", msg: queryWith(newOPT(ecsOption(1, "192.0.2.0", 24, 0)), newOPT()), err: ErrTwoOPT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.msg = overWire(t, tc.msg)
			checkFind(t, tc)
		})
	}
}

// TestFamily1StoredIn16Bytes pins the miekg behaviour the parser relies on
// (docs/ecs.md H9): an unpacked FAMILY 1 address is 16 bytes long, yet Find
// returns a plain IPv4 prefix.
func TestFamily1StoredIn16Bytes(t *testing.T) {
	m := overWire(t, queryWith(newOPT(ecsOption(1, "192.0.2.0", 24, 0))))
	e := m.IsEdns0().Option[0].(*dns.EDNS0_SUBNET)
	if len(e.Address) != net.IPv6len {
		t.Logf("miekg now stores FAMILY 1 in %d bytes", len(e.Address))
	}
	s, err := Find(m)
	if err != nil || s == nil {
		t.Fatalf("Find = %v, %v", s, err)
	}
	if !s.Prefix.Addr().Is4() || s.Prefix.Addr().Is4In6() {
		t.Errorf("Prefix %v is not a plain IPv4 prefix", s.Prefix)
	}
	if s.Option != e {
		t.Error("Subnet.Option is not the query's option")
	}
}

// TestMalformedRejectedByMiekg documents docs/ecs.md H4: miekg refuses to unpack
// these options, so they never reach the plugin (the server answers FORMERR
// itself, without an OPT).
func TestMalformedRejectedByMiekg(t *testing.T) {
	tests := []struct {
		name string
		opt  *dns.EDNS0_LOCAL
	}{
		{"A1 family 3", rawOption(3, 24, 0, 192, 0, 2)},
		{"A4 family 0 source 8", rawOption(0, 8, 0, 10)},
		{"A3 family 1 source 33", rawOption(1, 33, 0, 192, 0, 2, 0, 0)},
		{"A3 family 2 source 129", rawOption(2, 129, 0)},
		{"family 1 scope 33", rawOption(1, 24, 33, 192, 0, 2)},
		{"option shorter than 4 bytes", &dns.EDNS0_LOCAL{Code: dns.EDNS0SUBNET, Data: []byte{0, 1, 24}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			buf, err := queryWith(newOPT(tc.opt)).Pack()
			if err != nil {
				t.Fatalf("pack: %v", err)
			}
			if err := new(dns.Msg).Unpack(buf); err == nil {
				t.Error("miekg unpacked the option; Find must now reject it (see TestFind)")
			}
		})
	}
}

// seedQueries are packed queries for FuzzFind.
func seedQueries(tb testing.TB) [][]byte {
	msgs := []*dns.Msg{
		queryWith(),
		queryWith(newOPT()),
		queryWith(newOPT(ecsOption(1, "192.0.2.0", 24, 0))),
		queryWith(newOPT(ecsOption(1, "192.0.2.1", 32, 0))),
		queryWith(newOPT(ecsOption(2, "2001:db8::", 56, 0))),
		queryWith(newOPT(ecsOption(2, "::ffff:192.0.2.0", 120, 0))),
		queryWith(newOPT(ecsOption(0, "", 0, 0))),
		queryWith(newOPT(ecsOption(1, "10.1.2.0", 24, 24))),
		queryWith(newOPT(rawOption(1, 24, 0, 192, 0, 2, 1))),
		queryWith(newOPT(rawOption(2, 0, 0))),
		queryWith(newOPT(rawOption(1, 24, 0, 192, 0, 2), rawOption(1, 24, 0, 198, 51, 100))),
		queryWith(newOPT(ecsOption(1, "192.0.2.0", 24, 0)), newOPT()),
	}
	var out [][]byte
	for _, m := range msgs {
		buf, err := m.Pack()
		if err != nil {
			tb.Fatalf("pack seed: %v", err)
		}
		out = append(out, buf)
	}
	return out
}

// FuzzFind feeds arbitrary messages to Find: it must not panic, and a
// subnet it accepts must have a usable prefix and a reply option that packs
// and echoes FAMILY, SOURCE and ADDRESS (B2) with a scope in range (C9).
func FuzzFind(f *testing.F) {
	for _, seed := range seedQueries(f) {
		f.Add(seed)
	}
	transports := []netip.Addr{netip.MustParseAddr("192.0.2.53"), netip.MustParseAddr("2001:db8::53"), {}}
	f.Fuzz(func(t *testing.T, data []byte) {
		m := new(dns.Msg)
		if m.Unpack(data) != nil {
			return // not a message miekg would hand to a plugin
		}
		s, err := Find(m)
		if err != nil {
			if s != nil {
				t.Fatalf("Find returned %+v with error %v", s, err)
			}
			return
		}
		if s == nil {
			return
		}
		if s.Option == nil {
			t.Fatal("Subnet.Option is nil")
		}
		if s.Prefix != (netip.Prefix{}) {
			if !s.Prefix.IsValid() {
				t.Fatalf("invalid Prefix %v", s.Prefix)
			}
			if s.Prefix.Masked() != s.Prefix {
				t.Fatalf("Prefix %v has host bits", s.Prefix)
			}
		} else if s.Option.Family != 0 {
			t.Fatalf("zero Prefix for family %d", s.Option.Family)
		}
		for _, tr := range transports {
			for _, scope := range []int{0, 1, s.Prefix.Bits(), 24, 56, 128, 300} {
				checkReplyPacks(t, s, scope, tr)
			}
		}
	})
}

// checkReplyPacks checks that s.Reply(scope, tr) goes through the wire and
// keeps what B2 and C9 ask.
func checkReplyPacks(t *testing.T, s *Subnet, scope int, tr netip.Addr) {
	t.Helper()
	q := s.Option
	r := s.Reply(scope, tr)
	back := overWireOption(t, r)
	limit := uint8(32)
	if back.Family == 2 {
		limit = 128
	}
	if back.SourceScope > limit {
		t.Fatalf("Reply(%d) of %v: scope %d beyond %d", scope, q, back.SourceScope, limit)
	}
	if q.Family == 0 {
		if back.SourceNetmask != 0 || back.SourceScope != 0 || (back.Family != 1 && back.Family != 2) {
			t.Fatalf("Reply(%d) of a FAMILY 0 query: %d/%d/%d", scope, back.Family, back.SourceNetmask, back.SourceScope)
		}
		return
	}
	if back.Family != q.Family || back.SourceNetmask != q.SourceNetmask || !back.Address.Equal(q.Address) {
		t.Fatalf("Reply(%d) of %v (family %d) = %v (family %d): FAMILY, SOURCE or ADDRESS changed", scope, q, q.Family, back, back.Family)
	}
	if q.SourceNetmask == 0 && back.SourceScope != 0 {
		t.Fatalf("Reply(%d) of a SOURCE 0 query: scope %d", scope, back.SourceScope)
	}
}

// overWireOption packs a message carrying e and returns the option as read
// back.
func overWireOption(t testing.TB, e *dns.EDNS0_SUBNET) *dns.EDNS0_SUBNET {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion("www.example.", dns.TypeA)
	m.Response = true
	m.Extra = []dns.RR{newOPT(e)}
	buf, err := m.Pack()
	if err != nil {
		t.Fatalf("reply option %v (family %d) does not pack: %v", e, e.Family, err)
	}
	back := new(dns.Msg)
	if err := back.Unpack(buf); err != nil {
		t.Fatalf("reply option %v does not unpack: %v", e, err)
	}
	opt := back.IsEdns0()
	if opt == nil || len(opt.Option) != 1 {
		t.Fatalf("reply OPT lost: %v", back)
	}
	out, ok := opt.Option[0].(*dns.EDNS0_SUBNET)
	if !ok {
		t.Fatalf("reply option is %T", opt.Option[0])
	}
	return out
}
