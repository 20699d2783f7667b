package healthcheck

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"time"
)

// maxBody bounds what a probe reads of a response body (and its head).
const maxBody = 64 << 10

// aLongTimeAgo is a deadline in the past: it fails pending I/O at once.
var aLongTimeAgo = time.Unix(1, 0)

// httpProbe GETs Path over a new connection per probe and judges the status
// and, with match, the body. It speaks just enough HTTP/1.1 for that on the
// connection itself: net/http's Transport costs two goroutines and a
// connection pool per request, several times the probe's own work.
type httpProbe struct {
	check   Check
	dialer  dialer
	request []byte      // built once: it never changes
	tls     *tls.Config // nil for http
	err     error       // why the probe could not be built; reported by every call
}

func newHTTPProbe(t Target) *httpProbe {
	p := &httpProbe{check: t.Check, dialer: newDialer(t.Addr)}
	req, err := httpRequest(t.Addr, t.Check)
	if err != nil {
		p.err = &failure{reason: reasonError, err: err}
		return p
	}
	p.request = req
	if t.Check.Kind == HTTPS {
		if p.tls, p.err = tlsConfig(t.Check.TLS, t.Check.Host); p.err == nil && p.tls.ServerName == "" {
			// As net/http: the dialled host is verified (an IP against IP SANs).
			p.tls.ServerName, _, _ = net.SplitHostPort(t.Addr)
		}
	}
	return p
}

func (p *httpProbe) run(ctx context.Context) error {
	return p.runBy(ctx, probeDeadline(ctx, p.check.Timeout))
}

func (p *httpProbe) runBy(ctx context.Context, deadline time.Time) error {
	if p.err != nil {
		return p.err
	}
	// The deadline bounds the whole exchange, a slow-dripping backend too.
	conn, err := p.dialer.dial(ctx, deadline)
	if err != nil {
		return classify(ctx, err)
	}
	defer conn.Close() // an RST: see dialer
	if err := p.exchange(conn); err != nil {
		return classify(ctx, err)
	}
	return nil
}

// exchange sends the request on conn and judges the response.
func (p *httpProbe) exchange(conn net.Conn) error {
	if p.tls != nil {
		tc := tls.Client(conn, p.tls)
		if err := tc.Handshake(); err != nil {
			return err
		}
		conn = tc
	}
	if _, err := conn.Write(p.request); err != nil {
		return err
	}
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(conn)
	defer func() { br.Reset(nil); readerPool.Put(br) }()
	head, err := readHead(br)
	if err != nil {
		return err
	}
	if !p.check.expects(head.code) {
		return failf(reasonStatus, "got %d, expected %v", head.code, p.check.Expect)
	}
	if p.check.Match == nil {
		return nil
	}
	buf := bodyBuffers.Get().(*[maxBody]byte)
	defer bodyBuffers.Put(buf)
	n, err := readBody(br, head, buf[:])
	if err != nil {
		return err
	}
	if !p.check.Match.Match(buf[:n]) {
		return failf(reasonMatch, "body (first %d bytes) does not match %q", n, p.check.Match)
	}
	return nil
}

func (*httpProbe) close() {}
