package plugin

import (
	"context"
	"errors"
	"testing"

	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"
)

// failingWriter is a client that went away: every write fails, as a write
// to a TCP connection the client has reset does.
type failingWriter struct {
	test.ResponseWriter
	writes int
}

var errGone = errors.New("write tcp 127.0.0.1:53->127.0.0.1:40000: write: broken pipe")

func (w *failingWriter) WriteMsg(*dns.Msg) error { w.writes++; return errGone }

// TestFailedWriteIsNoPluginError: a reply that cannot be written is the
// client's doing, not gslb's. ServeDNS reports the reply as written and no
// error, as hosts, file and template do, so the errors plugin logs nothing
// and CoreDNS writes no second reply to the same client.
func TestFailedWriteIsNoPluginError(t *testing.T) {
	g := newTestGSLB(t, testConfig())
	for _, q := range []struct {
		qname string
		qtype uint16
	}{
		{"app.gslb.test.", dns.TypeA},    // an answer
		{"app.gslb.test.", dns.TypeMX},   // NODATA
		{"nope.gslb.test.", dns.TypeA},   // NXDOMAIN
		{"gslb.test.", dns.TypeSOA},      // the apex
		{"gslb.test.", dns.TypeNS},       // NS with its glue
		{"ns.dns.gslb.test.", dns.TypeA}, // the name server's address
	} {
		w := &failingWriter{}
		m := new(dns.Msg)
		m.SetQuestion(q.qname, q.qtype)
		rcode, err := g.ServeDNS(context.Background(), w, m)
		name := q.qname + " " + dns.TypeToString[q.qtype]
		if w.writes != 1 {
			t.Errorf("%s: %d writes, want 1", name, w.writes)
		}
		if err != nil {
			t.Errorf("%s: error %v, want none: the client went away, gslb did nothing wrong", name, err)
		}
		if !coreplugin.ClientWrite(rcode) {
			t.Errorf("%s: rcode %s tells CoreDNS nothing was written; it would write a second reply", name, dns.RcodeToString[rcode])
		}
	}
}
