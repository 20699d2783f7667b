package healthcheck

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// dnsBackend serves UDP on loopback, answering every query with rcode and
// sending the question it got to asked.
func dnsBackend(t *testing.T, rcode int, asked chan<- dns.Question) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, NotifyStartedFunc: func() { close(started) },
		Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
			select {
			case asked <- r.Question[0]:
			default:
			}
			m := new(dns.Msg)
			m.SetRcode(r, rcode)
			w.WriteMsg(m)
		})}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String()
}

// dnsCheck allows a second for an answer: answered probes return at once,
// and testCheck's 80 ms are missed now and then on a loaded machine.
func dnsCheck(qname string, qtype uint16) Check {
	c := testCheck(DNS)
	c.QName, c.QType, c.Timeout = qname, qtype, time.Second
	return c
}

func TestDNSProbe(t *testing.T) {
	asked := make(chan dns.Question, 1)
	ok := dnsBackend(t, dns.RcodeSuccess, asked)
	wantReason(t, runProbe(t, Target{Addr: ok, Check: dnsCheck("health.example.", dns.TypeAAAA)}), "")
	if q := <-asked; q.Name != "health.example." || q.Qtype != dns.TypeAAAA {
		t.Errorf("server was asked %s %s, want health.example. AAAA", q.Name, dns.TypeToString[q.Qtype])
	}

	for _, rcode := range []int{dns.RcodeServerFailure, dns.RcodeNameError, dns.RcodeRefused} {
		addr := dnsBackend(t, rcode, nil)
		err := runProbe(t, Target{Addr: addr, Check: dnsCheck("health.example.", dns.TypeA)})
		wantReason(t, err, reasonRcode)
		t.Logf("%s: %v", dns.RcodeToString[rcode], err)
	}
}

func TestDNSProbeUnreachable(t *testing.T) {
	// A UDP socket that never reads: the query is swallowed, never answered.
	hung, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hung.Close() })
	swallowed := dnsCheck("a.example.", dns.TypeA)
	swallowed.Timeout = 100 * time.Millisecond
	wantReason(t, runProbe(t, Target{Addr: hung.LocalAddr().String(), Check: swallowed}), reasonTimeout)
	// Nothing bound: loopback answers with ICMP port unreachable.
	wantReason(t, runProbe(t, Target{Addr: closedPort(t, "udp"), Check: dnsCheck("a.example.", dns.TypeA)}), reasonRefused)
}

func TestDNSProbeStopsWhenCancelled(t *testing.T) {
	hung, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hung.Close() })
	p := newDNSProbe(Target{Addr: hung.LocalAddr().String(), Check: dnsCheck("a.example.", dns.TypeA)})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	if err := p.run(ctx); err == nil {
		t.Fatal("probe of a silent server succeeded")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("cancelled probe returned after %s, want promptly", took)
	}
}
