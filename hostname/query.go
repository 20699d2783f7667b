package hostname

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"

	"github.com/miekg/dns"
)

// ednsSize is the UDP payload size offered: the DNS flag day 2020 value,
// which avoids IP fragmentation on common paths.
const ednsSize = 1232

// ask asks servers for qname/qtype, from servers[first] on, until one gives
// a definitive reply: a failing server in a list is passed over.
func (t *timing) ask(ctx context.Context, servers []string, first int, qname string, qtype uint16) answer {
	var failures []string
	for i := range servers {
		n := (first + i) % len(servers)
		var a answer
		m, err := t.exchange(ctx, servers[n], qname, qtype)
		if err != nil {
			a.err = reasonOf(err)
		} else {
			a = t.read(m, qname, qtype)
		}
		if a.err == "" {
			a.server, a.from = n, servers[n]
			return a
		}
		failures = append(failures, a.err+" from "+servers[n])
		if ctx.Err() != nil {
			break // stopped: the rest would fail alike
		}
	}
	if len(failures) == 0 {
		return answer{err: "no resolver to ask"}
	}
	return answer{err: strings.Join(failures, ", ")}
}

// exchange sends one query, recursion desired, over UDP, and again over
// TCP when the reply is truncated.
func (t *timing) exchange(ctx context.Context, server, qname string, qtype uint16) (*dns.Msg, error) {
	q := new(dns.Msg)
	q.SetQuestion(qname, qtype)
	q.RecursionDesired = true // the server is a recursive resolver
	q.SetEdns0(ednsSize, false)
	m, err := t.over(ctx, "udp", server, q)
	if err == nil && m.Truncated {
		m, err = t.over(ctx, "tcp", server, q)
	}
	if err != nil {
		return nil, err
	}
	if !m.Response || len(m.Question) != 1 || m.Question[0].Qtype != qtype || !strings.EqualFold(m.Question[0].Name, qname) {
		return nil, errors.New("reply to another question")
	}
	return m, nil
}

// over exchanges q with server over network, waiting t.timeout at most.
func (t *timing) over(ctx context.Context, network, server string, q *dns.Msg) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	c := dns.Client{Net: network, Timeout: t.timeout, UDPSize: ednsSize}
	conn, err := c.DialContext(ctx, server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// miekg/dns bounds the exchange by the deadline only; closing the socket
	// also ends it when the resolver is stopped.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	m, _, err := c.ExchangeWithConnContext(ctx, q, conn)
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		return nil, context.DeadlineExceeded
	}
	return m, err
}

// reasonOf is the short reason of an exchange's error.
func reasonOf(err error) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err.Error() // "connection refused", without the socket's addresses
	}
	return err.Error()
}
