package plugin

import (
	"context"
	"github.com/gslb/gslb/config"
	"net/netip"
	"testing"

	"github.com/coredns/coredns/plugin/pkg/dnstest"
	"github.com/coredns/coredns/plugin/pkg/fall"
	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/geoip"
	"github.com/gslb/gslb/policy"
)

// nextRcode marks answers written by the next plugin in the chain.
const nextRcode = dns.RcodeRefused

func testConfig() *config.Config {
	cfg := config.New([]string{"gslb.test."})
	cfg.Pools = []policy.Pool{
		{Name: "eu", Weight: 1, MinHealthy: 1, Members: []policy.Member{
			{Addr: netip.MustParseAddr("192.0.2.10"), Weight: 1},
			{Addr: netip.MustParseAddr("2001:db8::10"), Weight: 1},
		}},
		{Name: "us", Weight: 1, MinHealthy: 1, Members: []policy.Member{
			{Addr: netip.MustParseAddr("198.51.100.10"), Weight: 1},
		}},
	}
	cfg.Records = []policy.Record{
		{Names: []string{"app.gslb.test."}, Pools: []string{"eu", "us"}, Answers: 1},
		{Names: []string{"www.eu.gslb.test."}, Pools: []string{"us"}, Answers: 1, TTL: 60},
		{Names: []string{"down.gslb.test."}, Pools: []string{"us"}, Answers: 1, OnAllDown: policy.Fallthrough},
	}
	return cfg
}

func newTestGSLB(t testing.TB, cfg *config.Config) *GSLB {
	t.Helper()
	g, err := New(cfg, openGeoIP(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	g.Next = test.NextHandler(nextRcode, nil)
	return g
}

// openGeoIP opens the database cfg names, as setup does; nil for none.
func openGeoIP(tb testing.TB, cfg *config.Config) *geoip.DB {
	tb.Helper()
	if cfg.GeoIP.Name == "" {
		return nil
	}
	db, err := geoip.Open(cfg.GeoIP.Name)
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

func serve(t *testing.T, g *GSLB, qname string, qtype uint16) *dns.Msg {
	t.Helper()
	rec := dnstest.NewRecorder(&test.ResponseWriter{})
	m := new(dns.Msg)
	m.SetQuestion(qname, qtype)
	rcode, err := g.ServeDNS(context.Background(), rec, m)
	if err != nil {
		t.Fatalf("%s %s: %v", qname, dns.TypeToString[qtype], err)
	}
	if rec.Msg == nil {
		return &dns.Msg{MsgHdr: dns.MsgHdr{Rcode: rcode}} // written by the next plugin
	}
	return rec.Msg
}

func TestServeDNS(t *testing.T) {
	tests := []struct {
		name, qname string
		qtype       uint16
		rcode       int
		answer      string // first answer as text, "" for none
		soa         bool   // SOA in the authority section
	}{
		{"A from the first pool", "app.gslb.test.", dns.TypeA, dns.RcodeSuccess, "app.gslb.test.\t30\tIN\tA\t192.0.2.10", false},
		{"AAAA", "app.gslb.test.", dns.TypeAAAA, dns.RcodeSuccess, "app.gslb.test.\t30\tIN\tAAAA\t2001:db8::10", false},
		{"query case kept", "ApP.GSLB.test.", dns.TypeA, dns.RcodeSuccess, "ApP.GSLB.test.\t30\tIN\tA\t192.0.2.10", false},
		{"record TTL", "www.eu.gslb.test.", dns.TypeA, dns.RcodeSuccess, "www.eu.gslb.test.\t60\tIN\tA\t198.51.100.10", false},
		{"AAAA on IPv4-only record is NODATA", "www.eu.gslb.test.", dns.TypeAAAA, dns.RcodeSuccess, "", true},
		{"MX is NODATA", "app.gslb.test.", dns.TypeMX, dns.RcodeSuccess, "", true},
		{"HTTPS is NODATA", "app.gslb.test.", dns.TypeHTTPS, dns.RcodeSuccess, "", true},
		{"empty non-terminal is NODATA", "eu.gslb.test.", dns.TypeA, dns.RcodeSuccess, "", true},
		{"unknown name is NXDOMAIN", "nope.gslb.test.", dns.TypeA, dns.RcodeNameError, "", true},
		{"below a record is NXDOMAIN", "x.app.gslb.test.", dns.TypeA, dns.RcodeNameError, "", true},
		{"apex A is NODATA", "gslb.test.", dns.TypeA, dns.RcodeSuccess, "", true},
		{"apex SOA", "gslb.test.", dns.TypeSOA, dns.RcodeSuccess, "gslb.test.\t30\tIN\tSOA\tns.dns.gslb.test. hostmaster.gslb.test.", false},
		{"apex NS", "gslb.test.", dns.TypeNS, dns.RcodeSuccess, "gslb.test.\t30\tIN\tNS\tns.dns.gslb.test.", false},
		{"name server's parent is an empty non-terminal", "dns.gslb.test.", dns.TypeA, dns.RcodeSuccess, "", true},
		{"name server address", "ns.dns.gslb.test.", dns.TypeA, dns.RcodeSuccess, "ns.dns.gslb.test.\t30\tIN\tA\t127.0.0.1", false},
		{"other zone goes down the chain", "app.example.org.", dns.TypeA, nextRcode, "", false},
	}
	g := newTestGSLB(t, testConfig())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := serve(t, g, tc.qname, tc.qtype)
			if m.Rcode != tc.rcode {
				t.Fatalf("rcode %s, want %s", dns.RcodeToString[m.Rcode], dns.RcodeToString[tc.rcode])
			}
			if tc.rcode == nextRcode {
				return
			}
			if !m.Authoritative {
				t.Error("AA bit not set")
			}
			switch {
			case tc.answer == "" && len(m.Answer) != 0:
				t.Errorf("answer %v, want none", m.Answer)
			case tc.answer != "" && (len(m.Answer) == 0 || !hasPrefix(m.Answer[0].String(), tc.answer)):
				t.Errorf("answer %v, want %q", m.Answer, tc.answer)
			}
			gotSOA := len(m.Ns) == 1 && m.Ns[0].Header().Rrtype == dns.TypeSOA
			if gotSOA != tc.soa {
				t.Errorf("authority %v, want SOA: %v", m.Ns, tc.soa)
			}
			if gotSOA {
				soa := m.Ns[0].(*dns.SOA)
				if soa.Minttl > config.MaxNegativeTTL || soa.Hdr.Ttl > config.MaxNegativeTTL {
					t.Errorf("SOA TTL %d minimum %d, want both ≤ %d", soa.Hdr.Ttl, soa.Minttl, config.MaxNegativeTTL)
				}
			}
		})
	}
}

func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

func TestFallthrough(t *testing.T) {
	cfg := testConfig()
	cfg.Fall = fall.F{Zones: []string{"static.gslb.test."}}
	g := newTestGSLB(t, cfg)
	if m := serve(t, g, "host.static.gslb.test.", dns.TypeA); m.Rcode != nextRcode {
		t.Errorf("name under a fallthrough zone: rcode %s, want it passed down", dns.RcodeToString[m.Rcode])
	}
	if m := serve(t, g, "other.gslb.test.", dns.TypeA); m.Rcode != dns.RcodeNameError {
		t.Errorf("name outside the fallthrough zones: rcode %s, want NXDOMAIN", dns.RcodeToString[m.Rcode])
	}
	if m := serve(t, g, "app.gslb.test.", dns.TypeA); m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 {
		t.Errorf("GSLB name with fallthrough: %v, want an answer from gslb", m)
	}
}

func TestFallthroughEverywhere(t *testing.T) {
	cfg := testConfig()
	cfg.Fall = fall.Root
	g := newTestGSLB(t, cfg)
	for _, q := range []struct {
		qname string
		qtype uint16
	}{{"gslb.test.", dns.TypeSOA}, {"gslb.test.", dns.TypeMX}, {"eu.gslb.test.", dns.TypeA}, {"nope.gslb.test.", dns.TypeA}} {
		if m := serve(t, g, q.qname, q.qtype); m.Rcode != nextRcode {
			t.Errorf("%s %s: rcode %s, want it passed to the next plugin, whose zone data it is", q.qname, dns.TypeToString[q.qtype], dns.RcodeToString[m.Rcode])
		}
	}
	// A record's name stays gslb's: AAAA on an IPv4-only record is NODATA
	// here, not whatever the next plugin says about a name it lacks.
	if m := serve(t, g, "www.eu.gslb.test.", dns.TypeAAAA); m.Rcode != dns.RcodeSuccess || len(m.Answer) != 0 || len(m.Ns) != 1 {
		t.Errorf("AAAA on an IPv4-only record with fallthrough: %v, want NODATA from gslb", m)
	}
}

// More answers than the selection buffer on the stack holds.
func TestManyAnswers(t *testing.T) {
	cfg := config.New([]string{"gslb.test."})
	pool := policy.Pool{Name: "big", Weight: 1, MinHealthy: 1}
	for i := range 6 {
		pool.Members = append(pool.Members, policy.Member{Addr: netip.AddrFrom4([4]byte{192, 0, 2, byte(10 + i)}), Weight: 1})
	}
	cfg.Pools = []policy.Pool{pool}
	cfg.Records = []policy.Record{{Names: []string{"big.gslb.test."}, Pools: []string{"big"}, Answers: 6}}
	g := newTestGSLB(t, cfg)
	m := serve(t, g, "big.gslb.test.", dns.TypeA)
	seen := map[string]bool{}
	for _, rr := range m.Answer {
		seen[rr.(*dns.A).A.String()] = true
	}
	if len(m.Answer) != 6 || len(seen) != 6 {
		t.Fatalf("answers %v, want all 6 members once each", m.Answer)
	}
}
