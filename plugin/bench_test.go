package plugin

import (
	"context"
	"fmt"
	"github.com/gslb/gslb/config"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"
	coreplugin "github.com/coredns/coredns/plugin"
	_ "github.com/coredns/coredns/plugin/hosts" // registers the hosts directive
	"github.com/coredns/coredns/plugin/test"
	"github.com/coredns/coredns/plugin/whoami"
	"github.com/coredns/coredns/request"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/geoiptest"
	"github.com/gslb/gslb/policy"
)

// benchWriter is the ResponseWriter of the benchmarks. Its addresses are
// stored, as a UDP server's are, so asking for them costs nothing. WriteMsg
// keeps a reference to the reply and does not pack it: packing costs what
// miekg/dns costs for that message whichever plugin built it (and
// allocates for an ECS option, in EDNS0_SUBNET.pack), so leaving it out
// keeps the numbers the handler's own. check packs every reply once, so a
// benchmark never measures a reply that would not go on the wire.
type benchWriter struct {
	local, remote net.Addr
	last          *dns.Msg
}

func newBenchWriter() *benchWriter {
	return &benchWriter{
		local:  &net.UDPAddr{IP: net.ParseIP("192.0.2.1").To4(), Port: 53},
		remote: &net.UDPAddr{IP: net.ParseIP("203.0.113.9").To4(), Port: 40000},
	}
}

func (w *benchWriter) LocalAddr() net.Addr         { return w.local }
func (w *benchWriter) RemoteAddr() net.Addr        { return w.remote }
func (w *benchWriter) WriteMsg(m *dns.Msg) error   { w.last = m; return nil }
func (w *benchWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *benchWriter) Close() error                { return nil }
func (w *benchWriter) TsigStatus() error           { return nil }
func (w *benchWriter) TsigTimersOnly(bool)         {}
func (w *benchWriter) Hijack()                     {}

// benchCase is one handler answering one query, and what the answer must
// be, checked before timing so a benchmark measures the path it names.
type benchCase struct {
	name    string
	handler coreplugin.Handler
	req     *dns.Msg
	rcode   int // the message's rcode, or ServeDNS's when nothing is written
	answers int // -1: nothing is written (the next plugin's turn)
}

// benchQuery is a query for qname/qtype, with a client subnet option when
// subnet is not empty.
func benchQuery(qname string, qtype uint16, subnet string) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(qname, qtype)
	if subnet != "" {
		p := netip.MustParsePrefix(subnet)
		family := uint16(1)
		if p.Addr().Is6() {
			family = 2
		}
		m.SetEdns0(1232, false)
		m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: family, SourceNetmask: uint8(p.Bits()), Address: p.Addr().AsSlice()}}
	}
	return m
}

// benchGSLB is one stanza with a record per policy, every one answering
// a single A record, and a GeoIP database for the geo record that needs it.
func benchGSLB(tb testing.TB) *GSLB {
	path := filepath.Join(tb.TempDir(), "city.mmdb")
	geoiptest.Write(tb, path, "GeoIP2-City", []geoiptest.Entry{
		{Network: "192.0.2.0/24", Continent: "EU", Country: "DE", Subdivision: "HE"},
		{Network: "198.51.100.0/24", Continent: "NA", Country: "US", Subdivision: "CA"},
	})
	cfg := testConfig()
	cfg.GeoIP = config.Path{Name: path}
	cfg.Records = append(cfg.Records,
		policy.Record{Names: []string{"weighted.gslb.test."}, Policy: policy.Weighted, Pools: []string{"eu", "us"}, Answers: 1},
		policy.Record{Names: []string{"sticky.gslb.test."}, Policy: policy.Weighted, Select: policy.Hash, Pools: []string{"eu", "us"}, Answers: 1},
		policy.Record{Names: []string{"net.gslb.test."}, Policy: policy.Geo, Pools: []string{"us", "eu"}, Answers: 1, Routes: []policy.Route{
			{Pool: "eu", Kind: policy.Net, Nets: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}},
			{Pool: "us", Kind: policy.Net, Nets: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}},
		}},
		policy.Record{Names: []string{"geoip.gslb.test."}, Policy: policy.Geo, Pools: []string{"us", "eu"}, Answers: 1, Routes: []policy.Route{
			{Pool: "eu", Kind: policy.Continent, Values: []string{"EU"}},
			{Pool: "us", Kind: policy.Country, Values: []string{"US"}},
		}},
	)
	cfg.Pools = append(cfg.Pools, policy.Pool{Name: "aws", Weight: 1, MinHealthy: 1, Members: []policy.Member{{Host: "nlb.example.net.", Weight: 1}}})
	cfg.Records = append(cfg.Records,
		policy.Record{Names: []string{"*.apps.gslb.test."}, Pools: []string{"eu", "us"}, Answers: 1},
		policy.Record{Names: []string{"cname.gslb.test."}, Pools: []string{"aws"}, Answers: 1},
		policy.Record{Names: []string{"svc.gslb.test."}, Pools: []string{"eu", "us"}, Answers: 1},
	)
	cfg.Services = map[int][]config.Service{len(cfg.Records) - 1: {{Type: dns.TypeHTTPS, Priority: 1, Params: []dns.SVCBKeyValue{&dns.SVCBAlpn{Alpn: []string{"h3", "h2"}}}}}}
	g, err := New(cfg, openGeoIP(tb, cfg))
	if err != nil {
		tb.Fatal(err)
	}
	g.Next = test.NextHandler(nextRcode, nil) // writes nothing: what is measured is gslb declining
	return g
}

// benchHosts is the stock hosts plugin, set up from a Corefile stanza as
// CoreDNS does, answering app.gslb.test. with the one address gslb gives.
func benchHosts(tb testing.TB) coreplugin.Handler {
	return hostsFor(tb, "gslb.test.", "app.gslb.test.")
}

// hostsFor is the stock hosts plugin for zone answering name with
// 192.0.2.10.
func hostsFor(tb testing.TB, zone, name string) coreplugin.Handler {
	file := filepath.Join(tb.TempDir(), "hosts") // empty: the entry is inline
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		tb.Fatal(err)
	}
	setup, err := caddy.DirectiveAction("dns", "hosts")
	if err != nil {
		tb.Fatal(err)
	}
	c := caddy.NewTestController("dns", fmt.Sprintf("hosts %s %s {\n192.0.2.10 %s\nttl 30\nreload 0\n}", file, zone, name))
	if err := setup(c); err != nil {
		tb.Fatal(err)
	}
	stack := dnsserver.GetConfig(c).Plugin
	if len(stack) != 1 {
		tb.Fatalf("hosts setup added %d plugins, want 1", len(stack))
	}
	return stack[0](nil)
}

func benchCases(tb testing.TB) []benchCase {
	g := benchGSLB(tb)
	return []benchCase{
		{"gslb/failover", g, benchQuery("app.gslb.test.", dns.TypeA, ""), dns.RcodeSuccess, 1},
		{"gslb/weighted", g, benchQuery("weighted.gslb.test.", dns.TypeA, ""), dns.RcodeSuccess, 1},
		{"gslb/weighted_hash", g, benchQuery("sticky.gslb.test.", dns.TypeA, ""), dns.RcodeSuccess, 1},
		{"gslb/geo_net_ecs", g, benchQuery("net.gslb.test.", dns.TypeA, "192.0.2.0/24"), dns.RcodeSuccess, 1},
		{"gslb/geo_geoip_ecs", g, benchQuery("geoip.gslb.test.", dns.TypeA, "192.0.2.0/24"), dns.RcodeSuccess, 1},
		{"gslb/nodata", g, benchQuery("www.eu.gslb.test.", dns.TypeAAAA, ""), dns.RcodeSuccess, 0},
		{"gslb/nxdomain", g, benchQuery("nope.gslb.test.", dns.TypeA, ""), dns.RcodeNameError, 0},
		{"gslb/passthrough", g, benchQuery("app.example.org.", dns.TypeA, ""), nextRcode, -1},
		{"gslb/wildcard", g, benchQuery("tenant.apps.gslb.test.", dns.TypeA, ""), dns.RcodeSuccess, 1},
		{"gslb/cname", g, benchQuery("cname.gslb.test.", dns.TypeA, ""), dns.RcodeSuccess, 1},
		{"gslb/https", g, benchQuery("svc.gslb.test.", dns.TypeHTTPS, ""), dns.RcodeSuccess, 1},
		{"hosts", benchHosts(tb), benchQuery("app.gslb.test.", dns.TypeA, ""), dns.RcodeSuccess, 1},
		{"whoami", whoami.Whoami{}, benchQuery("app.gslb.test.", dns.TypeA, ""), dns.RcodeSuccess, 0},
	}
}

// check serves the case's query once and verifies the reply.
func (bc *benchCase) check(tb testing.TB, w *benchWriter) {
	tb.Helper()
	w.last = nil
	rcode, err := bc.handler.ServeDNS(context.Background(), w, bc.req)
	if err != nil {
		tb.Fatalf("%s: %v", bc.name, err)
	}
	if bc.answers < 0 {
		if w.last != nil || rcode != bc.rcode {
			tb.Fatalf("%s: rcode %d, reply %v; want rcode %d and nothing written", bc.name, rcode, w.last, bc.rcode)
		}
		return
	}
	if w.last == nil {
		tb.Fatalf("%s: nothing written, rcode %d", bc.name, rcode)
	}
	if w.last.Rcode != bc.rcode || len(w.last.Answer) != bc.answers {
		tb.Fatalf("%s: reply %v; want rcode %s and %d answers", bc.name, w.last, dns.RcodeToString[bc.rcode], bc.answers)
	}
	if _, err := w.last.Pack(); err != nil {
		tb.Fatalf("%s: reply does not pack: %v", bc.name, err)
	}
}

// BenchmarkServeDNS measures one query per policy through gslb, and the
// stock hosts and whoami plugins answering the same name, all with the same
// writer. Run with -benchmem; plugin/BENCHMARKS.md has the numbers.
func BenchmarkServeDNS(b *testing.B) {
	w := newBenchWriter()
	for _, bc := range benchCases(b) {
		b.Run(bc.name, func(b *testing.B) {
			bc.check(b, w)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				bc.handler.ServeDNS(ctx, w, bc.req)
			}
		})
	}
}

// TestServeDNSAllocsNoMoreThanHosts holds gslb's per-query allocations for
// a one-address answer to what the hosts plugin allocates for the same
// answer, measured in the same run: a ratio, not a machine-dependent limit.
func TestServeDNSAllocsNoMoreThanHosts(t *testing.T) {
	w := newBenchWriter()
	cases := map[string]*benchCase{}
	for _, bc := range benchCases(t) {
		bc.check(t, w)
		cases[bc.name] = &bc
	}
	// cost returns allocations and bytes per query, averaged over 1000.
	cost := func(bc *benchCase) (allocs, bytes float64) {
		ctx := context.Background()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		allocs = testing.AllocsPerRun(1000, func() { bc.handler.ServeDNS(ctx, w, bc.req) })
		runtime.ReadMemStats(&after)
		return allocs, float64(after.TotalAlloc-before.TotalAlloc) / 1001 // AllocsPerRun adds a warm-up run
	}
	hostsAllocs, hostsBytes := cost(cases["hosts"])
	if hostsAllocs == 0 {
		t.Fatal("hosts allocates nothing: the baseline is broken")
	}
	for _, name := range []string{"gslb/failover", "gslb/weighted", "gslb/weighted_hash", "gslb/geo_net_ecs"} {
		allocs, bytes := cost(cases[name])
		// Bytes too: a selection buffer escaping to the heap costs one
		// allocation but kilobytes.
		if allocs > hostsAllocs || bytes > 2*hostsBytes {
			t.Errorf("%s: %.0f allocations, %.0f bytes per query; hosts %.0f and %.0f for the same answer: want no more allocations and at most twice the bytes", name, allocs, bytes, hostsAllocs, hostsBytes)
		} else {
			t.Logf("%s: %.0f allocations, %.0f bytes per query; hosts %.0f, %.0f", name, allocs, bytes, hostsAllocs, hostsBytes)
		}
	}
}

// TestSelectionAddsNoAllocation holds an answer's allocations to those of
// an NXDOMAIN reply, in the same run: both allocate the reply, its
// question and one record with its section, and the selection between
// adds nothing. A selection buffer moved to the heap (an escape through
// the Answer) is one allocation more. NODATA at a record's name is held
// too: it is decided in serveRecord, under the same buffer.
func TestSelectionAddsNoAllocation(t *testing.T) {
	w := newBenchWriter()
	ctx := context.Background()
	cases := map[string]*benchCase{}
	for _, bc := range benchCases(t) {
		bc.check(t, w)
		cases[bc.name] = &bc
	}
	allocs := func(bc *benchCase) float64 {
		return testing.AllocsPerRun(1000, func() { bc.handler.ServeDNS(ctx, w, bc.req) })
	}
	nxdomain := allocs(cases["gslb/nxdomain"])
	for _, name := range []string{"gslb/failover", "gslb/weighted", "gslb/weighted_hash", "gslb/wildcard", "gslb/cname", "gslb/nodata"} {
		if got := allocs(cases[name]); got > nxdomain {
			t.Errorf("%s: %.0f allocations per query, an NXDOMAIN reply %.0f: the selection allocates", name, got, nxdomain)
		}
	}
}

// The fast paths of the query path must give what they replace; these
// compare them with CoreDNS's own functions on arbitrary names.

func FuzzQueryName(f *testing.F) {
	for _, name := range []string{"app.gslb.test.", "ApP.GSLB.test.", "", ".", "_dns._udp.gslb.test.",
		`a\.b.gslb.test.`, `\065pp.gslb.test.`, `a\ b.gslb.test.`, "a b.gslb.test.", "\xc3\x80.gslb.test.", "x..y.", `\\.test.`} {
		f.Add(name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		m := new(dns.Msg)
		m.Question = []dns.Question{{Name: name, Qtype: dns.TypeA, Qclass: dns.ClassINET}}
		want := (&request.Request{Req: m}).Name()
		if got := queryName(nil, m); got != want {
			t.Errorf("queryName(%q) = %q, request.Name %q", name, got, want)
		}
	})
}

func TestQueryNameWithoutQuestion(t *testing.T) {
	for _, r := range []*dns.Msg{nil, new(dns.Msg)} {
		if got := queryName(nil, r); got != "." {
			t.Errorf("queryName(%v) = %q, want the root as request.Name says", r, got)
		}
	}
}

func FuzzZoneOrigin(f *testing.F) {
	for _, name := range []string{"app.gslb.test.", "gslb.test.", "test.", ".", "", "app.gslb.test", "xgslb.test.",
		`a\.gslb.test.`, `gslb\.test.`, `a\\.gslb.test.`, "a..gslb.test.", "ns.dns.eu.gslb.test.", "ns.dns.gslb.test.", "ns.dns.", "xns.dns.gslb.test.", "eu.gslb.test.org."} {
		f.Add(name)
	}
	zoneSets := [][]string{
		{"gslb.test."},
		{"gslb.test.", "eu.gslb.test."},
		{"eu.gslb.test.", "gslb.test.", "example.org."},
		{"."},
		{".", "gslb.test."},
	}
	f.Fuzz(func(t *testing.T, name string) {
		m := new(dns.Msg)
		m.Question = []dns.Question{{Name: name, Qtype: dns.TypeA, Qclass: dns.ClassINET}}
		qname := (&request.Request{Req: m}).Name()
		for _, origins := range zoneSets {
			z := &zone{origins: origins}
			if got, want := z.origin(qname), coreplugin.Zones(origins).Matches(qname); got != want {
				t.Errorf("zones %v: origin(%q) = %q, plugin.Zones.Matches %q", origins, qname, got, want)
			}
			for _, o := range origins {
				if got, want := isNameServer(qname, o), qname == nsName(o); got != want {
					t.Errorf("isNameServer(%q, %q) = %v, want %v", qname, o, got, want)
				}
			}
		}
	})
}
