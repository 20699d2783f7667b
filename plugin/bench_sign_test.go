package plugin

import (
	"context"
	"strconv"
	"testing"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/dnssectest"
	"github.com/gslb/gslb/policy"
	"github.com/gslb/gslb/signer"
)

// missNames is how many names signed_miss cycles through: far more than
// the signer's cache holds (signer.DefaultCacheSize), so a name's
// signature is evicted long before the name comes round again.
const missNames = 1 << 17

// signedBenchGSLB is testConfig's stanza plus a wildcard failover record,
// signed with an ECDSA P-256 CSK as setup signs it (signer.ReadKey of the
// key files, signer.New with the default cache) when sign is true.
func signedBenchGSLB(tb testing.TB, sign bool) (*GSLB, *dns.DNSKEY) {
	cfg := testConfig()
	cfg.Records = append(cfg.Records, policy.Record{Names: []string{"*.apps.gslb.test."}, Pools: []string{"eu", "us"}, Answers: 1})
	g := newTestGSLB(tb, cfg)
	if !sign {
		return g, nil
	}
	base, dk := dnssectest.Key(tb, tb.TempDir(), "gslb.test.", dns.ECDSAP256SHA256, 257)
	k, err := signer.ReadKey(base)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := signer.New("gslb.test.", []*signer.Key{k}, signer.DefaultCacheSize)
	if err != nil {
		tb.Fatal(err)
	}
	g.SignWith([]*signer.Signer{s})
	return g, dk
}

// doQuery is a query for qname A with the DNSSEC OK bit.
func doQuery(qname string) *dns.Msg {
	m := benchQuery(qname, dns.TypeA, "")
	m.SetEdns0(1232, true)
	return m
}

// checkSignedReply serves r once and verifies the reply: one A record, and,
// when dk is set, its RRSIG verifying with dk; without, no RRSIG.
func checkSignedReply(tb testing.TB, g *GSLB, w *benchWriter, r *dns.Msg, dk *dns.DNSKEY) {
	tb.Helper()
	w.last = nil
	if _, err := g.ServeDNS(context.Background(), w, r); err != nil || w.last == nil {
		tb.Fatalf("%s: %v, reply %v", r.Question[0].Name, err, w.last)
	}
	var a []dns.RR
	var sig *dns.RRSIG
	for _, rr := range w.last.Answer {
		switch rr := rr.(type) {
		case *dns.A:
			a = append(a, rr)
		case *dns.RRSIG:
			sig = rr
		}
	}
	if len(a) != 1 || (dk == nil) != (sig == nil) {
		tb.Fatalf("%s: reply %v; want one A record, signed: %v", r.Question[0].Name, w.last, dk != nil)
	}
	if sig != nil {
		if err := sig.Verify(dk, a); err != nil {
			tb.Fatalf("%s: RRSIG does not verify: %v", r.Question[0].Name, err)
		}
	}
	if _, err := w.last.Pack(); err != nil {
		tb.Fatalf("%s: reply does not pack: %v", r.Question[0].Name, err)
	}
}

// BenchmarkServeDNSSigned measures the failover A query of
// BenchmarkServeDNS with DO, unsigned (no keys: the baseline) and signed
// with the signature reused from the cache, as every answer after the
// first is; and a wildcard record's answer at a new name each op, so each
// is signed afresh, beside the same queries unsigned. Run with -benchmem;
// bench/README.md has the numbers.
func BenchmarkServeDNSSigned(b *testing.B) {
	w := newBenchWriter()
	ctx := context.Background()
	unsigned, _ := signedBenchGSLB(b, false)
	signed, dk := signedBenchGSLB(b, true)
	for _, bc := range []struct {
		name string
		g    *GSLB
		dk   *dns.DNSKEY
	}{{"unsigned_do", unsigned, nil}, {"signed", signed, dk}} {
		b.Run(bc.name, func(b *testing.B) {
			r := doQuery("app.gslb.test.")
			checkSignedReply(b, bc.g, w, r, bc.dk)
			b.ReportAllocs()
			for b.Loop() {
				bc.g.ServeDNS(ctx, w, r)
			}
		})
	}
	names := make([]string, missNames)
	for i := range names {
		names[i] = "n" + strconv.Itoa(i) + ".apps.gslb.test."
	}
	// next goes on through the names over -count's runs: started again at
	// the first, a run would find the last run's signatures still cached.
	miss := []struct {
		name string
		g    *GSLB
		dk   *dns.DNSKEY
		next int
	}{{"wildcard_unsigned_do", unsigned, nil, 0}, {"signed_miss", signed, dk, 0}}
	for k := range miss {
		bc := &miss[k]
		b.Run(bc.name, func(b *testing.B) {
			r := doQuery("check.apps.gslb.test.")
			checkSignedReply(b, bc.g, w, r, bc.dk)
			b.ReportAllocs()
			for b.Loop() {
				r.Question[0].Name = names[bc.next%missNames] // another owner: another RRset
				bc.next++
				bc.g.ServeDNS(ctx, w, r)
			}
		})
	}
}
