package plugin

import (
	"bytes"
	"context"
	"fmt"
	"github.com/gslb/gslb/config"
	"net"
	"net/netip"
	"testing"

	"github.com/coredns/coredns/plugin/pkg/dnstest"
	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/policy"
)

// subnet is a client subnet option as a resolver sends it.
func subnet(family uint16, addr string, source uint8) *dns.EDNS0_SUBNET {
	e := &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: family, SourceNetmask: source}
	if addr != "" {
		e.Address = net.ParseIP(addr)
		if family == 1 {
			e.Address = e.Address.To4()
		}
	}
	return e
}

// ecsMsg is a query with an OPT carrying opts.
func ecsMsg(qname string, qtype uint16, opts ...dns.EDNS0) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(qname, qtype)
	m.SetEdns0(1232, false)
	opt := m.IsEdns0()
	opt.Option = append(opt.Option, opts...)
	return m
}

// serveMsg runs m through g as if it came from w's remote address and
// returns the rcode ServeDNS returned and the message written, nil when
// nothing was written.
func serveMsg(t *testing.T, g *GSLB, w dns.ResponseWriter, m *dns.Msg) (int, *dns.Msg) {
	t.Helper()
	if w == nil {
		w = &test.ResponseWriter{}
	}
	rec := dnstest.NewRecorder(w)
	rcode, err := g.ServeDNS(context.Background(), rec, m)
	if err != nil {
		t.Fatalf("%v: %v", m.Question, err)
	}
	return rcode, rec.Msg
}

// serveECS sends qname/qtype with the client subnet option e and returns
// the reply, failing when nothing was written.
func serveECS(t *testing.T, g *GSLB, w dns.ResponseWriter, qname string, qtype uint16, e *dns.EDNS0_SUBNET) *dns.Msg {
	t.Helper()
	rcode, m := serveMsg(t, g, w, ecsMsg(qname, qtype, e))
	if m == nil {
		t.Fatalf("%s %s with ECS %v: nothing written, rcode %s", qname, dns.TypeToString[qtype], e, dns.RcodeToString[rcode])
	}
	return m
}

// opts returns the OPT RRs of m's additional section.
func opts(m *dns.Msg) []*dns.OPT {
	var out []*dns.OPT
	for _, rr := range m.Extra {
		if o, ok := rr.(*dns.OPT); ok {
			out = append(out, o)
		}
	}
	return out
}

// echoOf returns the reply's client subnet option, failing unless the reply
// has exactly one OPT holding exactly that one option.
func echoOf(t *testing.T, m *dns.Msg) *dns.EDNS0_SUBNET {
	t.Helper()
	o := opts(m)
	if len(o) != 1 {
		t.Fatalf("reply has %d OPT RRs, want 1: %v", len(o), m.Extra)
	}
	if len(o[0].Option) != 1 {
		t.Fatalf("reply OPT has %d options, want 1: %v", len(o[0].Option), o[0])
	}
	e, ok := o[0].Option[0].(*dns.EDNS0_SUBNET)
	if !ok {
		t.Fatalf("reply option is %T, want the client subnet", o[0].Option[0])
	}
	return e
}

// checkEcho checks B2 (FAMILY, SOURCE and ADDRESS as in the query) and the
// SCOPE of the reply's option, and that the reply packs.
func checkEcho(t *testing.T, m *dns.Msg, q *dns.EDNS0_SUBNET, scope uint8) {
	t.Helper()
	r := echoOf(t, m)
	if r.Family != q.Family || r.SourceNetmask != q.SourceNetmask || !bytes.Equal(r.Address, q.Address) {
		t.Errorf("B2: echo %d/%v/%d, query %d/%v/%d", r.Family, r.Address, r.SourceNetmask, q.Family, q.Address, q.SourceNetmask)
	}
	if r.SourceScope != scope {
		t.Errorf("SCOPE %d, want %d", r.SourceScope, scope)
	}
	if _, err := m.Pack(); err != nil {
		t.Errorf("reply does not pack: %v", err)
	}
}

// hashConfig adds a record with sticky hashing over a 16-member pool (and
// 16 IPv6 members) to the test config.
func hashConfig() *config.Config {
	cfg := testConfig()
	big := policy.Pool{Name: "big", Weight: 1, MinHealthy: 1}
	for i := 1; i <= 16; i++ {
		big.Members = append(big.Members,
			policy.Member{Addr: netip.AddrFrom4([4]byte{203, 0, 113, byte(i)}), Weight: 1},
			policy.Member{Addr: netip.MustParseAddr(fmt.Sprintf("2001:db8:1::%x", i)), Weight: 1})
	}
	cfg.Pools = append(cfg.Pools, big)
	cfg.Records = append(cfg.Records, policy.Record{Names: []string{"sticky.gslb.test."}, Pools: []string{"big"}, Answers: 1, Select: policy.Hash})
	return cfg
}

const (
	failoverName = "app.gslb.test."
	hashName     = "sticky.gslb.test."
)

func firstAnswer(t *testing.T, m *dns.Msg) string {
	t.Helper()
	if len(m.Answer) == 0 {
		t.Fatalf("no answer: %v", m)
	}
	switch rr := m.Answer[0].(type) {
	case *dns.A:
		return rr.A.String()
	case *dns.AAAA:
		return rr.AAAA.String()
	}
	return m.Answer[0].String()
}

// TestECSEchoOnEveryAnswer covers B1, B2, C1 and C6: every kind of answer
// to an ECS query carries the echo, with SCOPE 0 when the answer does not
// depend on the client.
func TestECSEchoOnEveryAnswer(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	queries := []*dns.EDNS0_SUBNET{
		subnet(1, "192.0.2.0", 24),
		subnet(1, "198.51.100.7", 32),
		subnet(2, "2001:db8::", 56),
		subnet(2, "::ffff:192.0.2.0", 120),
		subnet(1, "0.0.0.0", 0),
	}
	tests := []struct {
		name, qname string
		qtype       uint16
		rcode       int
		answers     bool
	}{
		{"C1 failover data answer", failoverName, dns.TypeA, dns.RcodeSuccess, true},
		{"C1 failover AAAA", failoverName, dns.TypeAAAA, dns.RcodeSuccess, true},
		{"C6 NODATA: AAAA on an IPv4-only record", "www.eu.gslb.test.", dns.TypeAAAA, dns.RcodeSuccess, false},
		{"C6 NODATA: MX on a record", hashName, dns.TypeMX, dns.RcodeSuccess, false},
		{"C6 NODATA: empty non-terminal", "eu.gslb.test.", dns.TypeA, dns.RcodeSuccess, false},
		{"C6 NXDOMAIN", "nope.gslb.test.", dns.TypeA, dns.RcodeNameError, false},
		{"C6 NXDOMAIN below a record", "x.sticky.gslb.test.", dns.TypeA, dns.RcodeNameError, false},
		{"B1 apex SOA", "gslb.test.", dns.TypeSOA, dns.RcodeSuccess, true},
		{"B1 apex NS", "gslb.test.", dns.TypeNS, dns.RcodeSuccess, true},
		{"B1 name server address", "ns.dns.gslb.test.", dns.TypeA, dns.RcodeSuccess, true},
	}
	for _, tc := range tests {
		for _, q := range queries {
			t.Run(fmt.Sprintf("%s/%v", tc.name, q), func(t *testing.T) {
				m := serveECS(t, g, nil, tc.qname, tc.qtype, q)
				if m.Rcode != tc.rcode {
					t.Fatalf("rcode %s, want %s", dns.RcodeToString[m.Rcode], dns.RcodeToString[tc.rcode])
				}
				if (len(m.Answer) > 0) != tc.answers {
					t.Fatalf("answer %v, want answers: %v", m.Answer, tc.answers)
				}
				checkEcho(t, m, q, 0)
			})
		}
	}
}

// TestECSNoOPT covers E2 and B3: a query without OPT gets no OPT back, even
// for a hash record whose answer is tailored to the transport address.
func TestECSNoOPT(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	for _, qname := range []string{failoverName, hashName, "nope.gslb.test.", "www.eu.gslb.test."} {
		for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA} {
			m := new(dns.Msg)
			m.SetQuestion(qname, qtype)
			_, r := serveMsg(t, g, nil, m)
			if r == nil {
				t.Fatalf("%s %s: nothing written", qname, dns.TypeToString[qtype])
			}
			if o := opts(r); len(o) != 0 {
				t.Errorf("%s %s: reply has OPT %v, the query had none", qname, dns.TypeToString[qtype], o)
			}
		}
	}
}

// TestECSOPTWithoutECS: an OPT without ECS gets no OPT from the plugin
// (CoreDNS's writer adds the plain OPT later), and so no ECS.
func TestECSOPTWithoutECS(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	cookie := &dns.EDNS0_COOKIE{Code: dns.EDNS0COOKIE, Cookie: "0102030405060708"}
	for _, qname := range []string{failoverName, hashName, "nope.gslb.test.", "gslb.test."} {
		for _, extra := range [][]dns.EDNS0{nil, {cookie}} {
			m := ecsMsg(qname, dns.TypeA, extra...)
			rcode, r := serveMsg(t, g, nil, m)
			if r == nil {
				t.Fatalf("%s: nothing written, rcode %d", qname, rcode)
			}
			if o := opts(r); len(o) != 0 {
				t.Errorf("%s with options %v: plugin added OPT %v", qname, extra, o)
			}
		}
	}
}

// TestECSOff covers B4: with `ecs off` the option is ignored, never echoed,
// and a malformed one is no reason for FORMERR.
func TestECSOff(t *testing.T) {
	cfg := hashConfig()
	cfg.ECS = false
	g := newTestGSLB(t, cfg)
	// The answer by transport, without any ECS.
	plain := new(dns.Msg)
	plain.SetQuestion(hashName, dns.TypeA)
	_, byTransport := serveMsg(t, g, nil, plain)
	want := firstAnswer(t, byTransport)

	tests := []struct {
		name string
		opts []dns.EDNS0
	}{
		{"valid IPv4", []dns.EDNS0{subnet(1, "192.0.2.0", 24)}},
		{"valid IPv6", []dns.EDNS0{subnet(2, "2001:db8::", 56)}},
		{"family 0", []dns.EDNS0{subnet(0, "", 0)}},
		{"host bits set", []dns.EDNS0{subnet(1, "192.0.2.1", 24)}},
		{"two ECS options", []dns.EDNS0{subnet(1, "192.0.2.0", 24), subnet(1, "198.51.100.0", 24)}},
		{"source out of range", []dns.EDNS0{subnet(1, "192.0.2.0", 33)}},
		{"family 3", []dns.EDNS0{subnet(3, "192.0.2.0", 24)}},
	}
	for _, tc := range tests {
		for _, qname := range []string{hashName, failoverName, "nope.gslb.test."} {
			t.Run(tc.name+"/"+qname, func(t *testing.T) {
				rcode, m := serveMsg(t, g, nil, ecsMsg(qname, dns.TypeA, tc.opts...))
				if m == nil {
					t.Fatalf("nothing written, rcode %s; want the option ignored", dns.RcodeToString[rcode])
				}
				if m.Rcode == dns.RcodeFormatError {
					t.Fatal("FORMERR with ecs off")
				}
				if o := opts(m); len(o) != 0 {
					t.Errorf("B4: reply has OPT %v with ecs off", o)
				}
				if qname == hashName {
					if got := firstAnswer(t, m); got != want {
						t.Errorf("answer %s, want %s (by transport, ECS ignored)", got, want)
					}
				}
			})
		}
	}
}

// TestECSMalformed covers A2, A6 and E3: the plugin returns FORMERR without
// writing, so CoreDNS writes it (docs/ecs.md H6).
func TestECSMalformed(t *testing.T) {
	twoOPT := func(qname string) *dns.Msg {
		m := ecsMsg(qname, dns.TypeA, subnet(1, "192.0.2.0", 24))
		second := &dns.OPT{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeOPT}}
		second.SetUDPSize(1232)
		m.Extra = append(m.Extra, second)
		return m
	}
	twoOPTNoECS := func(qname string) *dns.Msg {
		m := ecsMsg(qname, dns.TypeA)
		m.Extra = append(m.Extra, &dns.OPT{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeOPT}})
		return m
	}
	tests := []struct {
		name  string
		msg   func(qname string) *dns.Msg
		ecsOn []bool // configurations that must answer FORMERR
	}{
		{"A2 IPv4 host bits", func(q string) *dns.Msg { return ecsMsg(q, dns.TypeA, subnet(1, "192.0.2.1", 24)) }, []bool{true}},
		{"A2 IPv6 host bits", func(q string) *dns.Msg { return ecsMsg(q, dns.TypeA, subnet(2, "2001:db8::1", 32)) }, []bool{true}},
		{"A6 two ECS options", func(q string) *dns.Msg {
			return ecsMsg(q, dns.TypeA, subnet(1, "192.0.2.0", 24), subnet(1, "198.51.100.0", 24))
		}, []bool{true}},
		{"A1 family 3", func(q string) *dns.Msg { return ecsMsg(q, dns.TypeA, subnet(3, "192.0.2.0", 24)) }, []bool{true}},
		{"A4 family 0 source 8", func(q string) *dns.Msg { return ecsMsg(q, dns.TypeA, subnet(0, "0.0.0.0", 8)) }, []bool{true}},
		{"A3 source 33", func(q string) *dns.Msg { return ecsMsg(q, dns.TypeA, subnet(1, "192.0.2.0", 33)) }, []bool{true}},
		{"E3 two OPT RRs", twoOPT, []bool{true, false}},
		{"E3 two OPT RRs without ECS", twoOPTNoECS, []bool{true, false}},
	}
	for _, tc := range tests {
		for _, on := range tc.ecsOn {
			cfg := hashConfig()
			cfg.ECS = on
			g := newTestGSLB(t, cfg)
			for _, qname := range []string{hashName, failoverName, "nope.gslb.test.", "gslb.test."} {
				t.Run(fmt.Sprintf("%s/ecs=%v/%s", tc.name, on, qname), func(t *testing.T) {
					rcode, m := serveMsg(t, g, nil, tc.msg(qname))
					if rcode != dns.RcodeFormatError {
						t.Errorf("rcode %s, want FORMERR", dns.RcodeToString[rcode])
					}
					if m != nil {
						t.Errorf("H6: plugin wrote %v, want CoreDNS to write the FORMERR", m)
					}
				})
			}
		}
	}
}

// TestECSHashScope checks the SCOPE of a sticky hash answer: the bits of
// the client's /24 or /56 the hash used, no more than SOURCE.
func TestECSHashScope(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	tests := []struct {
		q     *dns.EDNS0_SUBNET
		qtype uint16
		scope uint8
	}{
		{subnet(1, "192.0.2.0", 24), dns.TypeA, 24},
		{subnet(1, "192.0.2.77", 32), dns.TypeA, 24},
		{subnet(1, "192.0.2.128", 25), dns.TypeAAAA, 24},
		{subnet(1, "198.51.0.0", 16), dns.TypeA, 16},
		{subnet(1, "198.51.96.0", 20), dns.TypeA, 20},
		{subnet(2, "2001:db8:0:100::", 64), dns.TypeA, 56},
		{subnet(2, "2001:db8:0:100::", 64), dns.TypeAAAA, 56},
		{subnet(2, "2001:db8::1", 128), dns.TypeAAAA, 56},
		{subnet(2, "2001:db8::", 48), dns.TypeAAAA, 48},
		{subnet(2, "2001:db8::", 32), dns.TypeA, 32},
		// D2: IPv4-mapped, the IPv4 scope plus 96.
		{subnet(2, "::ffff:192.0.2.0", 120), dns.TypeA, 120},
		{subnet(2, "::ffff:192.0.2.9", 128), dns.TypeAAAA, 120},
		{subnet(2, "::ffff:198.51.0.0", 112), dns.TypeA, 112},
		// C5: SOURCE 0 answers by transport with SCOPE 0.
		{subnet(1, "0.0.0.0", 0), dns.TypeA, 0},
		{subnet(2, "::", 0), dns.TypeAAAA, 0},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%v %s", tc.q, dns.TypeToString[tc.qtype]), func(t *testing.T) {
			m := serveECS(t, g, nil, hashName, tc.qtype, tc.q)
			if len(m.Answer) != 1 {
				t.Fatalf("answer %v, want 1 record", m.Answer)
			}
			checkEcho(t, m, tc.q, tc.scope)
		})
	}
}

// TestECSHashFollowsSubnet: the sticky choice is made by the ECS subnet, not
// the transport address, and is the same for every address in the /24.
func TestECSHashFollowsSubnet(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	answerFor := func(q *dns.EDNS0_SUBNET, remote string) string {
		m := serveECS(t, g, &test.ResponseWriter{RemoteIP: remote}, hashName, dns.TypeA, q)
		return firstAnswer(t, m)
	}
	seen := map[string]string{} // answer -> subnet
	for i := range 64 {
		q := subnet(1, fmt.Sprintf("198.51.%d.0", i), 24)
		a := answerFor(q, "10.240.0.1")
		if b := answerFor(q, "192.0.2.200"); b != a {
			t.Errorf("%v: answer %s from one resolver, %s from another: must follow the subnet", q, a, b)
		}
		if c := answerFor(subnet(1, fmt.Sprintf("198.51.%d.77", i), 32), "10.240.0.1"); c != a {
			t.Errorf("198.51.%d.77/32 got %s, its /24 %s: scope 24 claims the same answer", i, c, a)
		}
		if _, ok := seen[a]; !ok {
			seen[a] = q.Address.String()
		}
	}
	if len(seen) < 2 {
		t.Fatalf("64 subnets all got %v: the answer does not follow the ECS subnet", seen)
	}
	// Two ECS subnets hashed to different members from the same resolver.
	plain := new(dns.Msg)
	plain.SetQuestion(hashName, dns.TypeA)
	_, byTransport := serveMsg(t, g, nil, plain)
	transportAnswer := firstAnswer(t, byTransport)
	differs := false
	for a := range seen {
		if a != transportAnswer {
			differs = true
		}
	}
	if !differs {
		t.Errorf("every ECS subnet got the transport's answer %s", transportAnswer)
	}

	// IPv6: /56 subnets.
	seen6 := map[string]bool{}
	for i := range 64 {
		q := subnet(2, fmt.Sprintf("2001:db8:0:%x00::", i), 56)
		seen6[firstAnswer(t, serveECS(t, g, nil, hashName, dns.TypeAAAA, q))] = true
	}
	if len(seen6) < 2 {
		t.Errorf("64 IPv6 subnets all got %v", seen6)
	}
}

// TestECSPrivateIgnore covers D1 with `ecs_private ignore`: a private ECS
// subnet is ignored, the answer follows the transport address, and the
// scope covers the whole private block; a failover answer keeps SCOPE 0.
func TestECSPrivateIgnore(t *testing.T) {
	cfg := hashConfig()
	cfg.ECSPrivate = false
	g := newTestGSLB(t, cfg)
	use := newTestGSLB(t, hashConfig())

	for _, remote := range []string{"10.240.0.1", "192.0.2.200", "198.51.100.3", "203.0.113.50"} {
		w := &test.ResponseWriter{RemoteIP: remote}
		plain := new(dns.Msg)
		plain.SetQuestion(hashName, dns.TypeA)
		_, byTransport := serveMsg(t, g, w, plain)
		want := firstAnswer(t, byTransport)

		tests := []struct {
			q     *dns.EDNS0_SUBNET
			scope uint8
		}{
			{subnet(1, "10.1.2.0", 24), 8},
			{subnet(1, "172.20.0.0", 16), 12},
			{subnet(1, "192.168.7.0", 24), 16},
			{subnet(2, "fd00:1:2:3::", 64), 7},
			{subnet(2, "::ffff:10.1.2.0", 120), 96 + 8},
		}
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/%v", remote, tc.q), func(t *testing.T) {
				m := serveECS(t, g, w, hashName, dns.TypeA, tc.q)
				checkEcho(t, m, tc.q, tc.scope)
				if got := firstAnswer(t, m); got != want {
					t.Errorf("answer %s, want %s, the transport's", got, want)
				}
				m = serveECS(t, g, w, failoverName, dns.TypeA, tc.q)
				checkEcho(t, m, tc.q, 0)
			})
		}
	}

	// A public subnet is still used.
	pub := subnet(1, "198.51.100.0", 24)
	got := firstAnswer(t, serveECS(t, g, nil, hashName, dns.TypeA, pub))
	if want := firstAnswer(t, serveECS(t, use, nil, hashName, dns.TypeA, pub)); got != want {
		t.Errorf("public subnet with ecs_private ignore: %s, with use: %s", got, want)
	}
	checkEcho(t, serveECS(t, g, nil, hashName, dns.TypeA, pub), pub, 24)

	// Wider than a private block: not private, used as is.
	wide := subnet(1, "10.0.0.0", 7)
	checkEcho(t, serveECS(t, g, nil, hashName, dns.TypeA, wide), wide, 7)
}

// TestECSPrivateUse: by default a private subnet is the routing key (D1').
func TestECSPrivateUse(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	q := subnet(1, "10.1.2.0", 24)
	checkEcho(t, serveECS(t, g, nil, hashName, dns.TypeA, q), q, 24)
	seen := map[string]bool{}
	for i := range 64 {
		seen[firstAnswer(t, serveECS(t, g, nil, hashName, dns.TypeA, subnet(1, fmt.Sprintf("10.1.%d.0", i), 24)))] = true
	}
	if len(seen) < 2 {
		t.Errorf("64 private subnets all got %v: not the routing key", seen)
	}
}

// TestECSFamilyZero covers B5 and C5: a FAMILY 0 / SOURCE 0 query is echoed
// with the transport's family, SOURCE 0, SCOPE 0, and answered by the
// transport address.
func TestECSFamilyZero(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	q := subnet(0, "", 0)
	tests := []struct {
		name   string
		w      dns.ResponseWriter
		family uint16
	}{
		{"IPv4 transport", &test.ResponseWriter{}, 1},
		{"IPv6 transport", &test.ResponseWriter6{}, 2},
		{"IPv4-mapped transport", &test.ResponseWriter{RemoteIP: "::ffff:192.0.2.200"}, 1},
	}
	for _, tc := range tests {
		for _, qname := range []string{hashName, failoverName, "nope.gslb.test."} {
			t.Run(tc.name+"/"+qname, func(t *testing.T) {
				m := serveECS(t, g, tc.w, qname, dns.TypeA, q)
				r := echoOf(t, m)
				if r.Family != tc.family || r.SourceNetmask != 0 || r.SourceScope != 0 {
					t.Errorf("echo %d/%d/%d, want %d/0/0", r.Family, r.SourceNetmask, r.SourceScope, tc.family)
				}
				if _, err := m.Pack(); err != nil {
					t.Errorf("reply does not pack: %v", err)
				}
				if qname != hashName {
					return
				}
				// C5: FAMILY 0 asks for no tailoring: the answer is the transport's.
				plain := new(dns.Msg)
				plain.SetQuestion(hashName, dns.TypeA)
				if _, byTransport := serveMsg(t, g, tc.w, plain); firstAnswer(t, byTransport) != firstAnswer(t, m) {
					t.Errorf("answer %s, want the transport's %s", firstAnswer(t, m), firstAnswer(t, byTransport))
				}
			})
		}
	}
}

// TestECSSourceZeroByTransport covers C5 for FAMILY 1 and 2 with SOURCE 0:
// the answer is the transport address's, with SCOPE 0.
func TestECSSourceZeroByTransport(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	for _, remote := range []string{"10.240.0.1", "192.0.2.200", "198.51.100.3", "203.0.113.50", "2001:db8:5::1"} {
		w := &test.ResponseWriter{RemoteIP: remote}
		plain := new(dns.Msg)
		plain.SetQuestion(hashName, dns.TypeA)
		_, byTransport := serveMsg(t, g, w, plain)
		want := firstAnswer(t, byTransport)
		for _, q := range []*dns.EDNS0_SUBNET{subnet(1, "0.0.0.0", 0), subnet(2, "::", 0)} {
			m := serveECS(t, g, w, hashName, dns.TypeA, q)
			checkEcho(t, m, q, 0)
			if got := firstAnswer(t, m); got != want {
				t.Errorf("%s %v: answer %s, want the transport's %s", remote, q, got, want)
			}
		}
	}
}

// TestECSMapped covers D2 end to end: an IPv4-mapped option is echoed as
// sent (FAMILY 2, SOURCE 120, same address) with SCOPE 96+24, and routes
// like the IPv4 subnet it carries.
func TestECSMapped(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	for i := range 16 {
		mapped := subnet(2, fmt.Sprintf("::ffff:198.51.%d.0", i), 120)
		m := serveECS(t, g, nil, hashName, dns.TypeA, mapped)
		checkEcho(t, m, mapped, 120)
		if len(mapped.Address) != net.IPv6len {
			t.Fatalf("test option address is %d bytes", len(mapped.Address))
		}
		v4 := subnet(1, fmt.Sprintf("198.51.%d.0", i), 24)
		if got, want := firstAnswer(t, m), firstAnswer(t, serveECS(t, g, nil, hashName, dns.TypeA, v4)); got != want {
			t.Errorf("%v: answer %s, the IPv4 subnet's %s", mapped, got, want)
		}
	}
	// Over the wire the echo keeps FAMILY 2 and the 15 address octets.
	mapped := subnet(2, "::ffff:192.0.2.0", 120)
	m := serveECS(t, g, nil, hashName, dns.TypeA, mapped)
	buf, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	back := new(dns.Msg)
	if err := back.Unpack(buf); err != nil {
		t.Fatal(err)
	}
	r := echoOf(t, back)
	if r.Family != 2 || r.SourceNetmask != 120 || r.SourceScope != 120 || !r.Address.Equal(mapped.Address) || r.Address.To4() == nil {
		t.Errorf("echo over the wire %d/%v/%d/%d, want 2/::ffff:192.0.2.0/120/120", r.Family, r.Address, r.SourceNetmask, r.SourceScope)
	}
}

// TestECSOverWire sends ECS queries through Pack/Unpack first, as the
// server receives them (FAMILY 1 addresses in 16 bytes, docs/ecs.md H9), and
// checks the echo packs back to the query's octets.
func TestECSOverWire(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	tests := []struct {
		qname string
		q     *dns.EDNS0_SUBNET
		scope uint8
	}{
		{hashName, subnet(1, "192.0.2.0", 24), 24},
		{hashName, subnet(1, "198.51.0.0", 16), 16},
		{failoverName, subnet(1, "192.0.2.0", 24), 0},
		{hashName, subnet(2, "2001:db8::", 56), 56},
		{hashName, subnet(2, "::ffff:192.0.2.0", 120), 120},
		{"nope.gslb.test.", subnet(1, "192.0.2.0", 24), 0},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s %v", tc.qname, tc.q), func(t *testing.T) {
			buf, err := ecsMsg(tc.qname, dns.TypeA, tc.q).Pack()
			if err != nil {
				t.Fatal(err)
			}
			in := new(dns.Msg)
			if err := in.Unpack(buf); err != nil {
				t.Fatal(err)
			}
			q := in.IsEdns0().Option[0].(*dns.EDNS0_SUBNET)
			_, m := serveMsg(t, g, nil, in)
			if m == nil {
				t.Fatal("nothing written")
			}
			checkEcho(t, m, q, tc.scope)
			out, err := m.Pack()
			if err != nil {
				t.Fatal(err)
			}
			back := new(dns.Msg)
			if err := back.Unpack(out); err != nil {
				t.Fatal(err)
			}
			r := echoOf(t, back)
			if r.Family != tc.q.Family || r.SourceNetmask != tc.q.SourceNetmask || !r.Address.Equal(tc.q.Address) || r.SourceScope != tc.scope {
				t.Errorf("echo on the wire %d/%v/%d/%d, query %d/%v/%d, want scope %d", r.Family, r.Address, r.SourceNetmask, r.SourceScope, tc.q.Family, tc.q.Address, tc.q.SourceNetmask, tc.scope)
			}
		})
	}
}

// TestECSQueryScopeIgnored covers A5: a non-zero SCOPE in the query is
// accepted and the reply carries the server's own scope.
func TestECSQueryScopeIgnored(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	for _, tc := range []struct {
		qname string
		scope uint8
	}{{hashName, 24}, {failoverName, 0}, {"nope.gslb.test.", 0}} {
		q := subnet(1, "192.0.2.0", 24)
		q.SourceScope = 16
		m := serveECS(t, g, nil, tc.qname, dns.TypeA, q)
		r := echoOf(t, m)
		if r.Family != 1 || r.SourceNetmask != 24 || !r.Address.Equal(q.Address) || r.SourceScope != tc.scope {
			t.Errorf("%s: echo %d/%v/%d/%d, want 1/192.0.2.0/24/%d", tc.qname, r.Family, r.Address, r.SourceNetmask, r.SourceScope, tc.scope)
		}
	}
}
