package plugin

import (
	"net/netip"
	"testing"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/plugin/pkg/dnstest"
	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/policy"
	"github.com/gslb/gslb/signer"
)

// FuzzServeDNS feeds arbitrary wire messages to the handler: whatever
// arrives, it answers or declines without panicking, and an answer it
// writes packs.
func FuzzServeDNS(f *testing.F) {
	for _, q := range []struct {
		name   string
		qtype  uint16
		subnet string
	}{
		{"app.gslb.test.", dns.TypeA, ""},
		{"geo.gslb.test.", dns.TypeA, "10.1.2.0/24"},
		{"sticky.gslb.test.", dns.TypeAAAA, "2001:db8::/56"},
		{"eu.gslb.test.", dns.TypeMX, "192.0.2.0/24"},
		{"gslb.test.", dns.TypeNS, "0.0.0.0/0"},
		{"x.y.apps.gslb.test.", dns.TypeHTTPS, "192.0.2.0/24"},
		{"cname.gslb.test.", dns.TypeANY, ""},
		{"ns1.gslb.test.", dns.TypeANY, ""},
	} {
		m := new(dns.Msg)
		m.SetQuestion(q.name, q.qtype)
		if q.subnet != "" {
			m.SetEdns0(1232, true)
			p := netip.MustParsePrefix(q.subnet)
			family := uint16(1)
			if p.Addr().Is6() {
				family = 2
			}
			m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: family, SourceNetmask: uint8(p.Bits()), Address: p.Addr().AsSlice()}}
		}
		wire, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(wire)
	}
	cfg := geoConfig(f)
	cfg.Records = append(cfg.Records, policy.Record{Names: []string{"sticky.gslb.test."}, Pools: []string{"eu", "us"}, Policy: policy.Weighted, Select: policy.Hash, Answers: 2})
	g, err := New(cfg, openGeoIP(f, cfg))
	if err != nil {
		f.Fatal(err)
	}
	g.Next = test.NextHandler(nextRcode, nil)
	// A zone with its own name servers, wildcards, services and host names.
	zcfg, err := config.Parse(caddy.NewTestController("dns", fuzzZone))
	if err != nil {
		f.Fatal(err)
	}
	z, err := New(zcfg, nil)
	if err != nil {
		f.Fatal(err)
	}
	z.Next = test.NextHandler(nextRcode, nil)
	// Signed: every DO query runs the signing path too.
	s, _ := testSigner(f, dns.ED25519)
	z.SignWith([]*signer.Signer{s})
	f.Fuzz(func(t *testing.T, wire []byte) {
		for _, h := range []*GSLB{g, z} {
			r := new(dns.Msg)
			if r.Unpack(wire) != nil || len(r.Question) == 0 {
				return // the server rejects these before any plugin runs
			}
			rec := dnstest.NewRecorder(&test.ResponseWriter{})
			if _, err := h.ServeDNS(t.Context(), rec, r); err != nil {
				t.Fatalf("ServeDNS: %v", err)
			}
			if rec.Msg != nil {
				if _, err := rec.Msg.Pack(); err != nil {
					t.Fatalf("reply does not pack: %v\n%v", err, rec.Msg)
				}
			}
		}
	})
}

const fuzzZone = `gslb gslb.test {
    fallthrough sub.gslb.test
    ns ns1 127.0.0.1 ::1
    ns ns.example.net.
    pool eu {
        member 192.0.2.10
        member 2001:db8::10
    }
    pool aws {
        member nlb.example.net
    }
    record *.apps x.sub {
        pools eu
        https 1 alpn=h3,h2 port=8443
        svcb 2 alpn=h2
    }
    record cname {
        pools aws
    }
    record @ flat {
        pools aws eu
        flatten
    }
}`
