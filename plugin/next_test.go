package plugin

import (
	"context"
	"testing"

	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/miekg/dns"
	ot "github.com/opentracing/opentracing-go"
	"github.com/opentracing/opentracing-go/mocktracer"
)

// writerSpy is a next plugin that records the writer it was given and
// writes a reply through it.
type writerSpy struct{ got dns.ResponseWriter }

func (s *writerSpy) Name() string { return "spy" }
func (s *writerSpy) ServeDNS(_ context.Context, w dns.ResponseWriter, r *dns.Msg) (int, error) {
	s.got = w
	m := new(dns.Msg)
	m.SetRcode(r, dns.RcodeRefused)
	return dns.RcodeRefused, w.WriteMsg(m)
}

// trackingWriter is a writer like the metrics plugin's Recorder: it is
// told which plugin wrote the reply.
type trackingWriter struct {
	benchWriter
	plugin string
}

func (w *trackingWriter) SetPlugin(name string) { w.plugin = name }
func (w *trackingWriter) GetPlugin() string     { return w.plugin }

var _ coreplugin.PluginTracker = (*trackingWriter)(nil)

func passDownGSLB(t *testing.T, next coreplugin.Handler) *GSLB {
	t.Helper()
	g, err := New(testConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	g.Next = next
	return g
}

func TestNextGetsTheWriterItself(t *testing.T) {
	spy := &writerSpy{}
	g := passDownGSLB(t, spy)
	w := newBenchWriter()
	rcode, err := g.ServeDNS(context.Background(), w, benchQuery("www.example.org.", dns.TypeA, ""))
	if err != nil || rcode != dns.RcodeRefused {
		t.Fatalf("ServeDNS = %d, %v; want the next plugin's REFUSED", rcode, err)
	}
	if spy.got != dns.ResponseWriter(w) {
		t.Errorf("next plugin got writer %T, want the writer gslb was given", spy.got)
	}
	if w.last == nil || w.last.Rcode != dns.RcodeRefused {
		t.Errorf("reply %v, want the next plugin's REFUSED", w.last)
	}
}

func TestNextTellsATrackerWhichPluginWrote(t *testing.T) {
	g := passDownGSLB(t, &writerSpy{})
	w := &trackingWriter{benchWriter: *newBenchWriter()}
	if _, err := g.ServeDNS(context.Background(), w, benchQuery("www.example.org.", dns.TypeA, "")); err != nil {
		t.Fatal(err)
	}
	if w.plugin != "spy" {
		t.Errorf("tracker told %q, want the next plugin, spy, as plugin.NextOrFailure tells it", w.plugin)
	}
}

func TestNextStartsASpanWhenTraced(t *testing.T) {
	g := passDownGSLB(t, &writerSpy{})
	tracer := mocktracer.New()
	root := tracer.StartSpan("servedns")
	ctx := ot.ContextWithSpan(context.Background(), root)
	if _, err := g.ServeDNS(ctx, newBenchWriter(), benchQuery("www.example.org.", dns.TypeA, "")); err != nil {
		t.Fatal(err)
	}
	spans := tracer.FinishedSpans()
	if len(spans) != 1 || spans[0].OperationName != "spy" {
		t.Fatalf("finished spans %v, want one child span named after the next plugin", spans)
	}
	if parent := spans[0].ParentID; parent != root.Context().(mocktracer.MockSpanContext).SpanID {
		t.Errorf("span parent %d, want the query's span", parent)
	}
}

func TestNextWithoutNextPluginIsServerFailure(t *testing.T) {
	g := passDownGSLB(t, nil)
	rcode, err := g.ServeDNS(context.Background(), newBenchWriter(), benchQuery("www.example.org.", dns.TypeA, ""))
	if rcode != dns.RcodeServerFailure || err == nil {
		t.Errorf("ServeDNS = %d, %v; want SERVFAIL and an error", rcode, err)
	}
}
