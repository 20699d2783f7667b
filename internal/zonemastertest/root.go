package zonemastertest

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// rootName is the stand-in root's one name server; .test is reserved, so
// the name can never be a real one.
const rootName = "ns.root.test."

// root is the stand-in for the root and the zone's parent that Zonemaster
// walks down to instead of the Internet's: authoritative for "." and the
// parent, whose delegation of the zone carries the name servers as glue.
// Without it Zonemaster asks the real root servers, which offline either
// fail at once or, where packets are dropped, time out for minutes.
type root struct {
	zones  map[string][]dns.RR // origin → its records: SOA, NS, then the rest
	parent string              // the zone's parent, below the root
	cut    string              // the zone under test, delegated by its parent
}

func newRoot(t testing.TB, zone, addr string, ns map[string]string) *root {
	i, end := dns.NextLabel(zone, 0)
	if end || zone[i:] == "." {
		t.Fatalf("zone %q: the harness tests zones below a top-level domain", zone)
	}
	parent := zone[i:]
	r := &root{zones: map[string][]dns.RR{}, parent: parent, cut: zone}
	for _, origin := range []string{".", parent} {
		r.add(t, origin, "%s 3600 SOA %s hostmaster.root.test. 1 14400 3600 1209600 300", origin, rootName)
		r.add(t, origin, "%s 3600 NS %s", origin, rootName)
	}
	r.add(t, ".", "%s 3600 A %s", rootName, addr)
	for name, ip := range ns {
		r.add(t, parent, "%s 3600 NS %s", zone, dns.Fqdn(name))
		if dns.IsSubDomain(zone, dns.Fqdn(name)) {
			r.add(t, parent, "%s 3600 A %s", dns.Fqdn(name), ip)
		}
	}
	return r
}

func (r *root) add(t testing.TB, origin, format string, args ...any) {
	rr, err := dns.NewRR(fmt.Sprintf(format, args...))
	if err != nil {
		t.Fatalf("stand-in root record: %v", err)
	}
	r.zones[origin] = append(r.zones[origin], rr)
}

// serve answers on addr, port 53, over UDP and TCP until the test ends.
func (r *root) serve(t testing.TB, addr string) {
	at := net.JoinHostPort(addr, "53")
	for _, netw := range []string{"udp", "tcp"} {
		started := make(chan error, 1)
		s := &dns.Server{Addr: at, Net: netw, Handler: r, ReadTimeout: 5 * time.Second,
			NotifyStartedFunc: func() { started <- nil }}
		go func() { started <- s.ListenAndServe() }()
		if err := <-started; err != nil {
			t.Fatalf("stand-in root on %s/%s: %v", at, netw, err)
		}
		t.Cleanup(func() { s.Shutdown() })
	}
}

// ServeDNS answers from the most specific zone held: the data, a
// referral for names at or below the cut, NODATA or NXDOMAIN with the SOA.
func (r *root) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	if req.IsEdns0() != nil {
		m.SetEdns0(1232, false)
	}
	if req.Opcode != dns.OpcodeQuery || len(req.Question) != 1 {
		m.Rcode = dns.RcodeNotImplemented
		w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	origin := "."
	for o := range r.zones {
		if dns.IsSubDomain(o, name) && dns.CountLabel(o) > dns.CountLabel(origin) {
			origin = o
		}
	}
	zone := r.zones[origin]
	// The parent answers a DS query at the cut itself (the zone is
	// unsigned: NODATA); anything else at or below the cut is referred.
	if origin == r.parent && dns.IsSubDomain(r.cut, name) && !(name == r.cut && q.Qtype == dns.TypeDS) {
		for _, rr := range zone[2:] {
			switch {
			case rr.Header().Rrtype == dns.TypeNS:
				m.Ns = append(m.Ns, rr)
			default:
				m.Extra = append(m.Extra, rr)
			}
		}
		w.WriteMsg(m)
		return
	}
	m.Authoritative = true
	exists := false
	for _, rr := range zone {
		owner := strings.ToLower(rr.Header().Name)
		if owner == name && (rr.Header().Rrtype == q.Qtype || q.Qtype == dns.TypeANY) {
			m.Answer = append(m.Answer, rr)
		}
		exists = exists || dns.IsSubDomain(name, owner)
	}
	if len(m.Answer) == 0 {
		m.Ns = []dns.RR{zone[0]}
		if !exists {
			m.Rcode = dns.RcodeNameError
		}
	}
	w.WriteMsg(m)
}
