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
	return dnsBackendSeeing(t, rcode, func(_ dns.ResponseWriter, r *dns.Msg) {
		select {
		case asked <- r.Question[0]:
		default:
		}
	})
}

// dnsBackendSeeing is dnsBackend showing each query to seen first.
func dnsBackendSeeing(t *testing.T, rcode int, seen func(w dns.ResponseWriter, r *dns.Msg)) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, NotifyStartedFunc: func() { close(started) },
		Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
			seen(w, r)
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

// udpResponder answers every datagram on a loopback UDP socket with what
// reply makes of the query (nil: no answer). It speaks raw bytes, so it can
// send what no DNS library would.
func udpResponder(t *testing.T, reply func(query []byte) []byte) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if out := reply(append([]byte(nil), buf[:n]...)); out != nil {
				pc.WriteTo(out, from)
			}
		}
	}()
	return pc.LocalAddr().String()
}

// answer is a well-formed NOERROR reply to query, changed by edit before it
// is packed.
func answer(t *testing.T, query []byte, edit func(m *dns.Msg)) []byte {
	q := new(dns.Msg)
	if err := q.Unpack(query); err != nil {
		t.Errorf("responder got a query it cannot parse: %v", err)
		return nil
	}
	m := new(dns.Msg)
	m.SetReply(q)
	m.Answer = []dns.RR{&dns.A{Hdr: dns.RR_Header{Name: q.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 30}, A: net.IPv4(192, 0, 2, 1)}}
	if edit != nil {
		edit(m)
	}
	out, err := m.Pack()
	if err != nil {
		t.Errorf("packing the reply: %v", err)
		return nil
	}
	return out
}

// garbage is n bytes no DNS message starts with, the same on every run.
func garbage(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// Only a DNS response to the question asked keeps a member up: a datagram
// with the right ID and NOERROR is not enough.
func TestDNSProbeJudgesTheReply(t *testing.T) {
	tests := []struct {
		name   string
		reply  func(t *testing.T, query []byte) []byte
		reason string
	}{
		{name: "correct reply", reply: func(t *testing.T, q []byte) []byte { return answer(t, q, nil) }},
		{name: "question in another case", reply: func(t *testing.T, q []byte) []byte {
			return answer(t, q, func(m *dns.Msg) { m.Question[0].Name = "HeAlTh.ExAmPlE." })
		}},
		{name: "truncated reply", reply: func(t *testing.T, q []byte) []byte {
			return answer(t, q, func(m *dns.Msg) { m.Truncated, m.Answer = true, nil })
		}},
		{name: "echo of the query", reply: func(_ *testing.T, q []byte) []byte { return q }, reason: reasonError},
		{name: "reply header then 60000 bytes of garbage", reply: func(_ *testing.T, q []byte) []byte {
			return append([]byte{q[0], q[1], 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0}, garbage(60000)...)
		}, reason: reasonError},
		{name: "reply header with a question then garbage", reply: func(_ *testing.T, q []byte) []byte {
			return append([]byte{q[0], q[1], 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0}, garbage(3000)...)
		}, reason: reasonError},
		{name: "correct reply then 60000 bytes of garbage", reply: func(t *testing.T, q []byte) []byte {
			return append(answer(t, q, nil), garbage(60000)...)
		}, reason: reasonError},
		{name: "correct reply then a few stray bytes", reply: func(t *testing.T, q []byte) []byte {
			return append(answer(t, q, nil), 0, 0, 0)
		}, reason: reasonError},
		{name: "answer cut short", reply: func(t *testing.T, q []byte) []byte {
			a := answer(t, q, nil)
			return a[:len(a)-2]
		}, reason: reasonError},
		{name: "header only", reply: func(_ *testing.T, q []byte) []byte { return []byte{q[0], q[1], 0x81, 0x80} }, reason: reasonError},
		{name: "no question", reply: func(t *testing.T, q []byte) []byte {
			return answer(t, q, func(m *dns.Msg) { m.Question = nil })
		}, reason: reasonError},
		{name: "another name", reply: func(t *testing.T, q []byte) []byte {
			return answer(t, q, func(m *dns.Msg) { m.Question[0].Name = "other.example." })
		}, reason: reasonError},
		{name: "another type", reply: func(t *testing.T, q []byte) []byte {
			return answer(t, q, func(m *dns.Msg) { m.Question[0].Qtype = dns.TypeAAAA })
		}, reason: reasonError},
		{name: "another class", reply: func(t *testing.T, q []byte) []byte {
			return answer(t, q, func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassCHAOS })
		}, reason: reasonError},
		{name: "another opcode", reply: func(t *testing.T, q []byte) []byte {
			return answer(t, q, func(m *dns.Msg) { m.Opcode = dns.OpcodeNotify })
		}, reason: reasonError},
		{name: "two questions", reply: func(t *testing.T, q []byte) []byte {
			return answer(t, q, func(m *dns.Msg) { m.Question = append(m.Question, m.Question[0]) })
		}, reason: reasonError},
		{name: "servfail to the question", reply: func(t *testing.T, q []byte) []byte {
			return answer(t, q, func(m *dns.Msg) { m.Rcode, m.Answer = dns.RcodeServerFailure, nil })
		}, reason: reasonRcode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr := udpResponder(t, func(q []byte) []byte { return tc.reply(t, q) })
			err := runProbe(t, Target{Addr: addr, Check: dnsCheck("health.example.", dns.TypeA)})
			wantReason(t, err, tc.reason)
			if err != nil {
				t.Log(err)
			}
		})
	}
}

// A datagram with another ID (a late reply to an earlier query) is not the
// answer: the probe waits for the one that is.
func TestDNSProbeSkipsOtherIDs(t *testing.T) {
	var stale []byte
	addr := udpResponder(t, func(q []byte) []byte {
		stale = answer(t, q, nil)
		stale[0] ^= 0xff
		return stale
	})
	c := dnsCheck("health.example.", dns.TypeA)
	c.Timeout = 200 * time.Millisecond
	wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), reasonTimeout)
}
