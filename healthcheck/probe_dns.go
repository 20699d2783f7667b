package healthcheck

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/healthcheck/internal/dial"
)

// maxDNSReply bounds a dns probe's reply. The query carries no EDNS, so a
// server answers in 512 bytes (RFC 1035 4.2.1) or sets TC; room up to 4 KiB
// (the old EDNS default) forgives a server that pads or ignores the limit,
// while a larger datagram is no answer to this query.
const maxDNSReply = 4096

// dnsBuffers hold the reply a dns probe reads, one byte more than
// maxDNSReply so that an oversized datagram is seen rather than cut. Only
// probes in flight hold one.
var dnsBuffers = sync.Pool{New: func() any { return new([maxDNSReply + 1]byte) }}

// dnsProbe asks the target QName/QType over UDP; healthy iff the reply is a
// DNS response to that question (QR set, the query's opcode, the question
// echoed, every section well formed) with rcode NOERROR. An empty answer is
// healthy: the server is serving.
type dnsProbe struct {
	addr    string
	source  netip.Addr
	dialer  net.Dialer // bound to source, when given
	qname   string
	qtype   uint16
	timeout time.Duration
	query   []byte // packed once; each probe writes a fresh ID into it
	qlen    int    // the query's question: query[headerLen:headerLen+qlen]
	err     error  // why the probe could not be built; reported by every call
}

const headerLen = 12 // a DNS message's fixed header

func newDNSProbe(t Target) *dnsProbe {
	p := &dnsProbe{addr: t.Addr, qname: dns.Fqdn(t.Check.QName), qtype: t.Check.QType, timeout: t.Check.Timeout,
		source: t.Check.Source, dialer: net.Dialer{LocalAddr: dial.LocalAddr("udp", t.Check.Source)}}
	if err := dial.CheckSource(t.Addr, t.Check.Source); err != nil {
		p.err = &failure{reason: reasonError, err: err}
		return p
	}
	m := new(dns.Msg)
	m.SetQuestion(p.qname, p.qtype)
	query, err := m.Pack()
	if err != nil {
		p.err = &failure{reason: reasonError, err: fmt.Errorf("query %s %s: %w", p.qname, dns.TypeToString[p.qtype], err)}
		return p
	}
	p.query, p.qlen = query, len(query)-headerLen // the question is all that follows the header
	return p
}

func (p *dnsProbe) run(ctx context.Context) error {
	return p.runBy(ctx, probeDeadline(ctx, p.timeout))
}

func (p *dnsProbe) runBy(ctx context.Context, deadline time.Time) error {
	if p.err != nil {
		return p.err
	}
	conn, err := p.dialer.DialContext(ctx, "udp", p.addr) // connected: only the target's datagrams arrive
	if err != nil {
		return classify(ctx, dial.ExplainSource(err, p.addr, p.source))
	}
	defer conn.Close()
	// The deadline bounds the exchange; closing the socket also ends it when
	// the prober is stopped.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := conn.SetDeadline(deadline); err != nil {
		return classify(ctx, err)
	}

	id := uint16(rand.Uint32())
	binary.BigEndian.PutUint16(p.query, id)
	if _, err := conn.Write(p.query); err != nil {
		return classify(ctx, err)
	}
	buf := dnsBuffers.Get().(*[maxDNSReply + 1]byte)
	defer dnsBuffers.Put(buf)
	for {
		n, err := conn.Read(buf[:])
		if err != nil {
			return classify(ctx, err)
		}
		reply := buf[:n]
		// Another ID is a late reply to an earlier query, as miekg/dns and
		// resolvers treat it: wait on for this one's.
		if n >= 2 && binary.BigEndian.Uint16(reply) != id {
			continue
		}
		return p.judge(reply)
	}
}

// judge checks that reply answers the query and is NOERROR.
func (p *dnsProbe) judge(reply []byte) error {
	if len(reply) > maxDNSReply {
		return failf(reasonError, "reply of more than %d bytes", maxDNSReply)
	}
	if len(reply) < headerLen {
		return failf(reasonError, "reply of %d bytes, shorter than a DNS header", len(reply))
	}
	flags := binary.BigEndian.Uint16(reply[2:])
	if flags&(1<<15) == 0 {
		return failf(reasonError, "reply is a query (QR not set): the query echoed, not answered")
	}
	if opcode := int(flags>>11) & 0xf; opcode != dns.OpcodeQuery {
		return failf(reasonError, "reply has opcode %s, asked %s", opcodeName(opcode), opcodeName(dns.OpcodeQuery))
	}
	if err := p.sameQuestion(reply); err != nil {
		return &failure{reason: reasonError, err: err}
	}
	if err := wellFormed(reply, headerLen+p.qlen); err != nil {
		return &failure{reason: reasonError, err: fmt.Errorf("malformed reply: %w", err)}
	}
	if rcode := int(flags & 0xf); rcode != dns.RcodeSuccess {
		return failf(reasonRcode, "got %s for %s %s", dns.RcodeToString[rcode], p.qname, dns.TypeToString[p.qtype])
	}
	return nil
}

// sameQuestion checks that reply's one question is the query's: its name
// equal but for ASCII case (RFC 4343; a server may answer in another
// spelling), its type and class the same. A server writes the question
// uncompressed (no earlier name to point at), so comparing wire bytes is
// exact.
func (p *dnsProbe) sameQuestion(reply []byte) error {
	if qd := binary.BigEndian.Uint16(reply[4:]); qd != 1 {
		return fmt.Errorf("reply has %d questions, want 1 (%s %s)", qd, p.qname, dns.TypeToString[p.qtype])
	}
	want := p.query[headerLen:] // the name, then type and class
	if got := reply[headerLen:]; len(got) >= len(want) {
		name := len(want) - 4
		if foldEqual(got[:name], want[:name]) && string(got[name:len(want)]) == string(want[name:]) {
			return nil
		}
	}
	name, off, err := dns.UnpackDomainName(reply, headerLen)
	if err != nil || off+4 > len(reply) {
		return fmt.Errorf("reply's question does not parse, asked %s %s", p.qname, dns.TypeToString[p.qtype])
	}
	qtype, qclass := binary.BigEndian.Uint16(reply[off:]), binary.BigEndian.Uint16(reply[off+2:])
	return fmt.Errorf("reply is for %s %s %s, asked %s IN %s", name, dns.ClassToString[qclass], dns.TypeToString[qtype], p.qname, dns.TypeToString[p.qtype])
}

// foldEqual compares wire names, ASCII letters in either case (label
// lengths, at most 63, are never letters).
func foldEqual(a, b []byte) bool {
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return len(a) == len(b)
}

// wellFormed parses the answer, authority and additional sections from off
// on and checks that they end the message: a datagram that only starts like
// a reply is not one.
func wellFormed(reply []byte, off int) error {
	rrs := int(binary.BigEndian.Uint16(reply[6:])) + int(binary.BigEndian.Uint16(reply[8:])) + int(binary.BigEndian.Uint16(reply[10:]))
	for i := range rrs {
		var err error
		if _, off, err = dns.UnpackRR(reply, off); err != nil {
			return fmt.Errorf("record %d of %d: %w", i+1, rrs, err)
		}
	}
	if off != len(reply) {
		return fmt.Errorf("%d bytes after the last record", len(reply)-off)
	}
	return nil
}

func opcodeName(op int) string {
	if s, ok := dns.OpcodeToString[op]; ok {
		return s
	}
	return fmt.Sprint("OPCODE", op)
}

func (*dnsProbe) close() {}
