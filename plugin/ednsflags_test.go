package plugin

import (
	"context"
	"fmt"
	"testing"

	"github.com/coredns/coredns/plugin/pkg/dnstest"
	"github.com/coredns/coredns/plugin/test"
	"github.com/coredns/coredns/request"
	"github.com/miekg/dns"
)

// serveScrubbed serves r as CoreDNS's server does: through a ScrubWriter,
// which adds the OPT to the reply (request.SizeAndDo), and writing the
// rcode the plugin leaves to it as its errorFunc does. Every query here is
// gslb's to answer.
func serveScrubbed(t *testing.T, g *GSLB, r *dns.Msg) *dns.Msg {
	t.Helper()
	rec := dnstest.NewRecorder(&test.ResponseWriter{})
	w := request.NewScrubWriter(r, rec)
	rcode, err := g.ServeDNS(context.Background(), w, r)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Msg == nil {
		m := new(dns.Msg)
		m.SetRcode(r, rcode)
		(&request.Request{W: w, Req: r}).SizeAndDo(m)
		w.WriteMsg(m)
	}
	return rec.Msg
}

// TestNoUnknownEDNSFlagEchoed: a reply carries DO when the query asked for
// it and no other EDNS flag, whatever flags the query set (RFC 6891
// §6.1.4: unknown flags are ignored, and not echoed), on every kind of
// reply, with and without a client subnet option.
func TestNoUnknownEDNSFlagEchoed(t *testing.T) {
	g := newTestGSLB(t, hashConfig())
	kinds := []struct {
		name  string
		msg   func() *dns.Msg
		rcode int
	}{
		{"answer", func() *dns.Msg { return ecsMsg(hashName, dns.TypeA) }, dns.RcodeSuccess},
		{"answer with ECS", func() *dns.Msg { return ecsMsg(hashName, dns.TypeA, subnet(1, "192.0.2.0", 24)) }, dns.RcodeSuccess},
		{"NODATA", func() *dns.Msg { return ecsMsg(hashName, dns.TypeMX) }, dns.RcodeSuccess},
		{"NODATA with ECS", func() *dns.Msg { return ecsMsg(hashName, dns.TypeMX, subnet(1, "192.0.2.0", 24)) }, dns.RcodeSuccess},
		{"NXDOMAIN", func() *dns.Msg { return ecsMsg("nope.gslb.test.", dns.TypeA) }, dns.RcodeNameError},
		{"NXDOMAIN with ECS", func() *dns.Msg { return ecsMsg("nope.gslb.test.", dns.TypeA, subnet(2, "2001:db8::", 56)) }, dns.RcodeNameError},
		{"SOA", func() *dns.Msg { return ecsMsg("gslb.test.", dns.TypeSOA) }, dns.RcodeSuccess},
		{"NS with glue", func() *dns.Msg { return ecsMsg("gslb.test.", dns.TypeNS) }, dns.RcodeSuccess},
		{"FORMERR", func() *dns.Msg { return ecsMsg(hashName, dns.TypeA, subnet(1, "192.0.2.1", 24)) }, dns.RcodeFormatError},
		{"REFUSED", func() *dns.Msg { m := ecsMsg(hashName, dns.TypeA); m.Question[0].Qclass = dns.ClassCHAOS; return m }, dns.RcodeRefused},
		{"NOTIMP", func() *dns.Msg { m := ecsMsg("gslb.test.", dns.TypeSOA); m.Opcode = dns.OpcodeNotify; return m }, dns.RcodeNotImplemented},
	}
	for _, kind := range kinds {
		for _, z := range []uint32{0x2000, 0x0001, 0x4000 | 0x0100, zFlags} {
			for _, do := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/z=%#04x/do=%v", kind.name, z, do), func(t *testing.T) {
					r := kind.msg()
					o := r.IsEdns0()
					o.Hdr.Ttl |= z
					if do {
						o.SetDo()
					}
					m := serveScrubbed(t, g, r)
					if m == nil || m.Rcode != kind.rcode {
						t.Fatalf("reply %v, want %s", m, dns.RcodeToString[kind.rcode])
					}
					got := opts(m)
					if len(got) != 1 {
						t.Fatalf("%d OPT records in the reply, want 1", len(got))
					}
					if flags := got[0].Hdr.Ttl & zFlags; flags != 0 {
						t.Errorf("reply's EDNS flags %#04x beside DO, want none", flags)
					}
					if got[0].Do() != do {
						t.Errorf("reply's DO %v, asked %v", got[0].Do(), do)
					}
				})
			}
		}
	}
}
