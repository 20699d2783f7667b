//go:build !race

// The race detector instruments every function and so changes every
// frame; what these tests hold is the stack of the server as built, so they
// run without it (.ci/run runs them so).

package plugin

import (
	"context"
	"strings"
	"testing"

	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/coredns/coredns/plugin/file"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/stacktest"
)

// miekg/dns serves every UDP query on a new goroutine, whose stack starts
// small and is copied each time it doubles. The profile of the built
// server showed that copy as a third of a query's CPU once gslb's path
// went one doubling deeper than hosts'. These tests measure the stack a
// handler uses, as a comparison with hosts in the same run.

// packingWriter packs each reply as miekg/dns's writer does, so the stack
// the packing takes counts where the handler writes from.
type packingWriter struct{ benchWriter }

func (w *packingWriter) WriteMsg(m *dns.Msg) error {
	w.last = m
	_, err := m.Pack()
	return err
}

// TestServeDNSStackNoDeeperThanHosts holds gslb's answers to the stack
// the hosts plugin takes to answer the same query, within the measure's
// resolution (one pad frame), and a name gslb passes down to gslb's own
// two small frames. A GeoIP lookup is the one path allowed a little
// deeper.
func TestServeDNSStackNoDeeperThanHosts(t *testing.T) {
	w := &packingWriter{*newBenchWriter()}
	ctx := context.Background()
	serveWith := func(h coreplugin.Handler, r *dns.Msg) func() {
		return func() { h.ServeDNS(ctx, w, r) }
	}
	hosts := benchHosts(t)
	for _, bc := range benchCases(t) {
		if bc.name == "hosts" || bc.name == "whoami" || bc.answers < 0 {
			continue
		}
		// hosts gets the same question type and options for its own
		// name: an ECS query costs it the option's parsing too.
		q := bc.req.Copy()
		q.Question[0].Name = "app.gslb.test."
		base := stacktest.Headroom(t, serveWith(hosts, q))
		if bc.name == "gslb/https" {
			// hosts has no HTTPS record, and packing one takes miekg/dns
			// 640 bytes deeper than packing a SOA: the file plugin
			// answering the same record is the reference.
			base = stacktest.Headroom(t, serveWith(fileHTTPS(t), bc.req))
		}
		got := stacktest.Headroom(t, serveWith(bc.handler, bc.req))
		t.Logf("%s: %d bytes of headroom, the reference (hosts; file for HTTPS) %d", bc.name, got, base)
		limit := base - stacktest.PadFrame
		if bc.name == "gslb/geo_geoip_ecs" {
			// Reading the database record takes maxminddb's cursor calls:
			// about 320 bytes more than hosts (geoip's own test bounds
			// Lookup).
			limit = base - 512
		}
		if got < limit {
			t.Errorf("%s: %d bytes of stack headroom, hosts has %d: gslb's path is deeper", bc.name, got, base)
		}
	}
	other := hostsFor(t, "example.org.", "www.example.org.")
	alone := stacktest.Headroom(t, serveWith(other, benchQuery("www.example.org.", dns.TypeA, "")))
	g := benchGSLB(t)
	g.Next = other
	passed := stacktest.Headroom(t, serveWith(g, benchQuery("www.example.org.", dns.TypeA, "")))
	t.Logf("passed down: %d bytes of headroom, hosts alone %d", passed, alone)
	// gslb's ServeDNS and next frames: about 130 bytes on amd64 (through
	// plugin.NextOrFailure, which the untraced path skips, 400).
	if passed < alone-192 {
		t.Errorf("passed down: %d bytes of stack headroom, hosts alone %d: gslb's frames grew", passed, alone)
	}
}

// fileHTTPS is the file plugin serving the HTTPS record gslb/https answers.
func fileHTTPS(t *testing.T) coreplugin.Handler {
	z, err := file.Parse(strings.NewReader(`$ORIGIN gslb.test.
@ 30 IN SOA ns.dns hostmaster 1 7200 1800 86400 30
svc 30 IN HTTPS 1 . alpn=h3,h2 ipv4hint=192.0.2.10 ipv6hint=2001:db8::10
`), "gslb.test.", "stdin", 0)
	if err != nil {
		t.Fatal(err)
	}
	return file.File{Zones: file.Zones{Z: map[string]*file.Zone{"gslb.test.": z}, Names: []string{"gslb.test."}}}
}
