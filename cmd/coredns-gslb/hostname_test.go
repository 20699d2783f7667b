package main

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// memberDNS is the recursive resolver a test points gslb's resolver line
// at, on loopback: it answers A and AAAA for the host names it is given,
// TTL 1, and NXDOMAIN for the rest.
type memberDNS struct {
	addr    string
	mu      sync.Mutex
	answers map[string][]netip.Addr
}

func newMemberDNS(t *testing.T) *memberDNS {
	t.Helper()
	d := &memberDNS{answers: map[string][]netip.Addr{}}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.addr = pc.LocalAddr().String()
	srv := &dns.Server{PacketConn: pc, Handler: d}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return d
}

// set makes name resolve to addrs; none: NXDOMAIN.
func (d *memberDNS) set(name string, addrs ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var as []netip.Addr
	for _, a := range addrs {
		as = append(as, netip.MustParseAddr(a))
	}
	d.answers[dns.Fqdn(name)] = as
}

func (d *memberDNS) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.RecursionAvailable = true
	q := r.Question[0]
	d.mu.Lock()
	addrs := d.answers[dns.CanonicalName(q.Name)]
	d.mu.Unlock()
	if len(addrs) == 0 {
		m.Rcode = dns.RcodeNameError
		m.Ns = []dns.RR{&dns.SOA{Hdr: dns.RR_Header{Name: "example.net.", Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 1},
			Ns: "ns.example.net.", Mbox: "h.example.net.", Serial: 1, Minttl: 1}}
	}
	for _, a := range addrs {
		hdr := dns.RR_Header{Name: q.Name, Class: dns.ClassINET, Ttl: 1}
		switch {
		case a.Is4() && q.Qtype == dns.TypeA:
			hdr.Rrtype = dns.TypeA
			m.Answer = append(m.Answer, &dns.A{Hdr: hdr, A: a.AsSlice()})
		case a.Is6() && q.Qtype == dns.TypeAAAA:
			hdr.Rrtype = dns.TypeAAAA
			m.Answer = append(m.Answer, &dns.AAAA{Hdr: hdr, AAAA: a.AsSlice()})
		}
	}
	w.WriteMsg(m)
}

// hostNameCorefile: %[1]s is the member resolver, %[2]s and %[3]s the eu
// and us backends' ports. Each pool is one cloud load balancer's name.
const hostNameCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    gslb {
        resolver %[1]s
        check eu-web {
            http %[2]s /healthz
            interval 200ms
            timeout 100ms
            rise 1
            fall 1
        }
        check us-web {
            http %[3]s /healthz
            interval 200ms
            timeout 100ms
            rise 1
            fall 1
        }
        pool eu {
            member nlb-eu.example.net
            check eu-web
        }
        pool us {
            member nlb-us.example.net
            check us-web
        }
        record @ app {
            pools eu us
            flatten
            answers 4
            ttl 30
        }
        record www {
            pools eu us
            ttl 30
        }
    }
}
`

func TestHostNameMembers(t *testing.T) {
	t.Parallel()
	resolver := newMemberDNS(t)
	eu, us := newHTTPBackend(t), newHTTPBackend(t)
	resolver.set("nlb-eu.example.net", "127.0.0.1", "::1")
	resolver.set("nlb-us.example.net", "127.0.0.1")
	s := startServer(t, fmt.Sprintf(hostNameCorefile, resolver.addr, eu.port(), us.port()))

	// At once: Start waits for the first resolution.
	s.expect(t, "app.gslb.test.", "NOERROR 127.0.0.1/30")
	s.expect(t, "gslb.test.", "NOERROR 127.0.0.1/30")
	if got := replySummary(s.query(t, "udp", "app.gslb.test.", dns.TypeAAAA, false)); got != "NOERROR ::1/30" {
		t.Fatalf("AAAA: %q, want the name's IPv6 address", got)
	}
	cnameEU := "NOERROR www.gslb.test.\t30\tIN\tCNAME\tnlb-eu.example.net."
	cnameUS := "NOERROR www.gslb.test.\t15\tIN\tCNAME\tnlb-us.example.net."
	s.expect(t, "www.gslb.test.", cnameEU)

	// The name moves to addresses where the check's port has nothing: the
	// probes follow the name, find it down, and both records fail over.
	resolver.set("nlb-eu.example.net", "127.0.0.2")
	since := time.Now()
	s.pollUntil(t, "app.gslb.test.", since, 5*time.Second, "NOERROR 127.0.0.1/15", "NOERROR 127.0.0.1/30", "NOERROR 127.0.0.2/30")
	s.pollUntil(t, "www.gslb.test.", since, 5*time.Second, cnameUS, cnameEU)

	// Back where its backend listens: back in the answers.
	resolver.set("nlb-eu.example.net", "127.0.0.1")
	s.pollUntil(t, "www.gslb.test.", time.Now(), 5*time.Second, cnameEU, cnameUS)

	// A name that no longer resolves is down, whatever its last probe.
	resolver.set("nlb-eu.example.net")
	s.pollUntil(t, "www.gslb.test.", time.Now(), 5*time.Second, cnameUS, cnameEU)
	// Every type is the CNAME's.
	m := s.query(t, "tcp", "www.gslb.test.", dns.TypeMX, false)
	if len(m.Answer) != 1 || m.Answer[0].Header().Rrtype != dns.TypeCNAME {
		t.Fatalf("MX at a CNAME record: %v", m.Answer)
	}
}
