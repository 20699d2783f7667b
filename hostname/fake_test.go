package hostname

import (
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"
)

// fakeResolver is a recursive resolver on loopback, UDP and TCP on one
// port, whose data and failures a test changes while it runs.
type fakeResolver struct {
	t    testing.TB
	addr string

	mu       sync.Mutex
	rrs      []dns.RR // CNAME chains in them are followed, as a recursive server does
	rcode    int      // not RcodeSuccess: every reply has it and no records
	drop     bool     // no reply at all
	truncate bool     // every UDP reply is truncated and empty
	negTTL   uint32   // the SOA's TTL and MINIMUM in negative replies
	seen     []query
}

// query is what the fake saw of one query.
type query struct {
	name  string
	qtype uint16
	tcp   bool
	rd    bool
	edns  uint16 // the UDP size offered; 0 without EDNS
}

func startFake(t testing.TB, records ...string) *fakeResolver {
	t.Helper()
	f := &fakeResolver{t: t}
	f.set(records...)
	pc, ln := loopbackPair(t)
	f.addr = pc.LocalAddr().String()
	for _, srv := range []*dns.Server{{PacketConn: pc, Handler: f}, {Listener: ln, Handler: f}} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go srv.ActivateAndServe()
		<-started
		t.Cleanup(func() { srv.Shutdown() })
	}
	return f
}

// loopbackPair opens UDP and TCP sockets on one loopback port.
func loopbackPair(t testing.TB) (net.PacketConn, net.Listener) {
	t.Helper()
	for range 20 {
		pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp4", pc.LocalAddr().String())
		if err == nil {
			return pc, ln
		}
		pc.Close() // the TCP port is taken: another one
	}
	t.Fatal("no loopback port free for both UDP and TCP")
	return nil, nil
}

// set replaces the fake's data with records in zone file syntax.
func (f *fakeResolver) set(records ...string) {
	f.t.Helper()
	rrs := make([]dns.RR, len(records))
	for i, s := range records {
		rr, err := dns.NewRR(s)
		if err != nil {
			f.t.Fatal(err)
		}
		rrs[i] = rr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rrs = rrs
}

// fail makes every reply carry rcode (dns.RcodeSuccess: answer again), or
// makes the fake drop every query.
func (f *fakeResolver) fail(rcode int, drop bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rcode, f.drop = rcode, drop
}

// queries are those seen so far for name with qtype (0: any), over TCP
// only when tcp.
func (f *fakeResolver) queries(name string, qtype uint16, tcp bool) []query {
	f.mu.Lock()
	defer f.mu.Unlock()
	var qs []query
	for _, q := range f.seen {
		if strings.EqualFold(q.name, name) && (qtype == 0 || q.qtype == qtype) && (!tcp || q.tcp) {
			qs = append(qs, q)
		}
	}
	return qs
}
