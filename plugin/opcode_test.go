package plugin

import (
	"context"
	"fmt"
	"testing"

	"github.com/coredns/coredns/plugin/pkg/dnstest"
	"github.com/coredns/coredns/plugin/pkg/fall"
	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/policy"
)

// nextSpy is a next plugin that counts what reaches it and writes nothing.
type nextSpy struct{ calls int }

func (s *nextSpy) Name() string { return "spy" }
func (s *nextSpy) ServeDNS(context.Context, dns.ResponseWriter, *dns.Msg) (int, error) {
	s.calls++
	return dns.RcodeSuccess, nil
}

// passed marks a message the next plugin got.
const passed = -2

// serveMessage serves m and returns the rcode of the reply gslb wrote, the
// rcode it left to CoreDNS to write, or passed, and the reply if written.
func serveMessage(t *testing.T, g *GSLB, m *dns.Msg) (int, *dns.Msg) {
	t.Helper()
	spy := &nextSpy{}
	g.Next = spy
	rec := dnstest.NewRecorder(&test.ResponseWriter{})
	rcode, err := g.ServeDNS(context.Background(), rec, m)
	if err != nil {
		t.Fatalf("%v: %v", m.Question, err)
	}
	switch {
	case spy.calls > 0:
		if rec.Msg != nil {
			t.Fatalf("%v: gslb wrote %v and passed the message down", m.Question, rec.Msg)
		}
		return passed, nil
	case rec.Msg != nil:
		return rec.Msg.Rcode, rec.Msg
	}
	return rcode, nil
}

func message(opcode int, qname string, qtype, qclass uint16) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(qname, qtype)
	m.Opcode = opcode
	m.Question[0].Qclass = qclass
	return m
}

// TestNotStandardQueries: gslb answers standard queries of class IN. For a
// name it owns, another opcode is NOTIMP, AXFR and IXFR are REFUSED (it
// keeps no zone to transfer), another class is REFUSED, and class ANY is
// answered as IN. A name it passes down goes down whatever the message.
func TestNotStandardQueries(t *testing.T) {
	const (
		query  = dns.OpcodeQuery
		notify = dns.OpcodeNotify
		update = dns.OpcodeUpdate
		in     = dns.ClassINET
	)
	type tc struct {
		opcode int
		qname  string
		qtype  uint16
		qclass uint16
		want   int // rcode, or passed
	}
	owned := []tc{
		{notify, "gslb.test.", dns.TypeSOA, in, dns.RcodeNotImplemented},
		{update, "gslb.test.", dns.TypeSOA, in, dns.RcodeNotImplemented},
		{update, "app.gslb.test.", dns.TypeSOA, in, dns.RcodeNotImplemented},
		{dns.OpcodeIQuery, "app.gslb.test.", dns.TypeA, in, dns.RcodeNotImplemented},
		{dns.OpcodeStatus, "gslb.test.", dns.TypeA, in, dns.RcodeNotImplemented},
		{6, "gslb.test.", dns.TypeA, in, dns.RcodeNotImplemented}, // DSO
		{15, "app.gslb.test.", dns.TypeA, in, dns.RcodeNotImplemented},
		{query, "gslb.test.", dns.TypeAXFR, in, dns.RcodeRefused},
		{query, "gslb.test.", dns.TypeIXFR, in, dns.RcodeRefused},
		{query, "app.gslb.test.", dns.TypeAXFR, in, dns.RcodeRefused},
		{query, "nope.gslb.test.", dns.TypeAXFR, in, dns.RcodeRefused},
		{query, "app.gslb.test.", dns.TypeA, dns.ClassCHAOS, dns.RcodeRefused},
		{query, "app.gslb.test.", dns.TypeTXT, dns.ClassCHAOS, dns.RcodeRefused},
		{query, "app.gslb.test.", dns.TypeA, dns.ClassHESIOD, dns.RcodeRefused},
		{query, "app.gslb.test.", dns.TypeA, dns.ClassNONE, dns.RcodeRefused},
		{query, "app.gslb.test.", dns.TypeA, 42, dns.RcodeRefused},
		{query, "gslb.test.", dns.TypeSOA, dns.ClassCHAOS, dns.RcodeRefused},
		{query, "nope.gslb.test.", dns.TypeA, dns.ClassCHAOS, dns.RcodeRefused},
		{query, "app.gslb.test.", dns.TypeAXFR, dns.ClassANY, dns.RcodeRefused},
		{notify, "app.gslb.test.", dns.TypeA, dns.ClassCHAOS, dns.RcodeNotImplemented},
		// Outside the zones, the next plugin's.
		{notify, "example.org.", dns.TypeSOA, in, passed},
		{update, "example.org.", dns.TypeSOA, in, passed},
		{query, "example.org.", dns.TypeAXFR, in, passed},
		{query, "app.example.org.", dns.TypeA, dns.ClassCHAOS, passed},
	}
	g := newTestGSLB(t, testConfig())
	for _, c := range owned {
		if got, m := serveMessage(t, g, message(c.opcode, c.qname, c.qtype, c.qclass)); got != c.want {
			t.Errorf("%s %s %s %s: %s, want %s\n%v", opcodeName(c.opcode), c.qname, dns.Class(c.qclass), dns.TypeToString[c.qtype], rcodeName(got), rcodeName(c.want), m)
		}
	}

	// Class ANY matches the name's only class: answered as IN.
	for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA} {
		got, m := serveMessage(t, g, message(query, "app.gslb.test.", qtype, dns.ClassANY))
		if got != dns.RcodeSuccess || m == nil || len(m.Answer) != 1 || m.Answer[0].Header().Class != in || m.Answer[0].Header().Rrtype != qtype {
			t.Errorf("class ANY %s: %s %v, want the IN answer", dns.TypeToString[qtype], rcodeName(got), m)
		}
	}
	if got, m := serveMessage(t, g, message(query, "nope.gslb.test.", dns.TypeA, dns.ClassANY)); got != dns.RcodeNameError || m == nil || len(m.Ns) != 1 {
		t.Errorf("class ANY of an unknown name: %s %v, want NXDOMAIN with the SOA", rcodeName(got), m)
	}

	// With fallthrough the zone file beside gslb owns the names that are no
	// record's, and the apex's SOA and NS: its transfers, NOTIFYs and UPDATEs
	// go there too. A record's name stays gslb's.
	cfg := testConfig()
	cfg.Fall = fall.Root
	cfg.Records = append(cfg.Records, policy.Record{Names: []string{"gslb.test."}, Pools: []string{"eu"}, Answers: 1})
	g = newTestGSLB(t, cfg)
	for _, c := range []tc{
		{query, "gslb.test.", dns.TypeAXFR, in, passed},
		{query, "gslb.test.", dns.TypeIXFR, in, passed},
		{notify, "gslb.test.", dns.TypeSOA, in, passed},
		{update, "gslb.test.", dns.TypeSOA, in, passed},
		{query, "nope.gslb.test.", dns.TypeA, dns.ClassCHAOS, passed},
		{notify, "nope.gslb.test.", dns.TypeSOA, in, passed},
		{query, "app.gslb.test.", dns.TypeAXFR, in, dns.RcodeRefused},
		{query, "app.gslb.test.", dns.TypeA, dns.ClassCHAOS, dns.RcodeRefused},
		{notify, "app.gslb.test.", dns.TypeSOA, in, dns.RcodeNotImplemented},
		{update, "app.gslb.test.", dns.TypeSOA, in, dns.RcodeNotImplemented},
		{query, "gslb.test.", dns.TypeA, dns.ClassCHAOS, dns.RcodeRefused}, // the apex record's own data
	} {
		if got, m := serveMessage(t, g, message(c.opcode, c.qname, c.qtype, c.qclass)); got != c.want {
			t.Errorf("fallthrough: %s %s %s %s: %s, want %s\n%v", opcodeName(c.opcode), c.qname, dns.Class(c.qclass), dns.TypeToString[c.qtype], rcodeName(got), rcodeName(c.want), m)
		}
	}
}

func opcodeName(opcode int) string {
	if s, ok := dns.OpcodeToString[opcode]; ok {
		return s
	}
	return fmt.Sprintf("OPCODE%d", opcode)
}

func rcodeName(rcode int) string {
	if rcode == passed {
		return "passed down"
	}
	return dns.RcodeToString[rcode]
}
