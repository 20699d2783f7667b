package healthcheck

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"time"

	"github.com/gslb/gslb/healthcheck/internal/dial"
	"github.com/gslb/gslb/healthcheck/internal/http1"
)

// httpProbe GETs Path over a new connection per probe and judges the status
// and, with match, the body. It speaks HTTP/1.1 on the connection itself
// (package http1): net/http's Transport costs far more than the probe.
type httpProbe struct {
	check   Check
	dialer  dial.Dialer
	request []byte     // built once: it never changes
	tls     *tlsClient // nil for http
	err     error      // why the probe could not be built; reported by every call
	word    Word       // read from the AgentHeader of the last response
}

func newHTTPProbe(t Target) *httpProbe {
	p := &httpProbe{check: t.Check, dialer: dial.New(t.Addr, t.Check.Source)}
	req, err := http1.GetRequest(t.Addr, t.Check.Path, t.Check.Host, requestFields(t.Check.Headers))
	if err != nil {
		p.err = &failure{reason: reasonError, err: err}
		return p
	}
	p.request = req
	if t.Check.Kind == HTTPS {
		serverName := t.Check.Host
		if serverName == "" {
			// As net/http: the dialled host is verified (an IP against IP SANs).
			serverName, _, _ = net.SplitHostPort(t.Addr)
		}
		p.tls = newTLSClient(t.Check, serverName)
	}
	return p
}

// requestFields are the header fields of a probe's GET: the User-Agent, which
// a header of the check may replace, then the check's headers.
func requestFields(headers []Header) []http1.Field {
	fields := []http1.Field{{Name: "User-Agent", Value: userAgent}}
	for _, h := range headers {
		fields = append(fields, http1.Field{Name: h.Name, Value: h.Value})
	}
	return fields
}

func (p *httpProbe) run(ctx context.Context) error {
	return p.runBy(ctx, probeDeadline(ctx, p.check.Timeout))
}

func (p *httpProbe) runBy(ctx context.Context, deadline time.Time) error {
	p.word = Word{}
	if p.err != nil {
		return p.err
	}
	var cfg *tls.Config
	if p.tls != nil {
		var err error
		if cfg, _, err = p.tls.config(); err != nil {
			return err
		}
	}
	// The deadline bounds the whole exchange, a slow-dripping backend too.
	conn, err := p.dialer.Dial(ctx, deadline)
	if err != nil {
		return classify(ctx, err)
	}
	defer conn.Close() // an RST: see package dial
	if err := p.exchange(conn, cfg); err != nil {
		return classify(ctx, err)
	}
	return nil
}

// exchange sends the request on conn, over TLS with cfg unless it is nil,
// and judges the response.
func (p *httpProbe) exchange(conn net.Conn, cfg *tls.Config) error {
	if cfg != nil {
		tc := tls.Client(conn, cfg)
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
	head, err := http1.ReadHeadField(br, maxBody, p.check.AgentHeader)
	if err != nil {
		return err
	}
	if p.check.AgentHeader != "" {
		// Read whatever the status: the state machine hears it only when
		// the probe succeeds, as it does an agent check's line.
		p.word = ParseWord(head.Field)
	}
	if !p.check.expects(head.Code) {
		return failf(reasonStatus, "got %d, expected %v", head.Code, p.check.Expected())
	}
	if p.check.Match == nil {
		return nil
	}
	buf := bodyBuffers.Get().(*[maxBody]byte)
	defer bodyBuffers.Put(buf)
	n, err := http1.ReadBody(br, head, buf[:])
	if err != nil {
		return err
	}
	if !p.check.Match.Match(buf[:n]) {
		return failf(reasonMatch, "body (first %d bytes) does not match %q", n, p.check.Match)
	}
	return nil
}

func (p *httpProbe) lastWord() Word { return p.word }

func (p *httpProbe) close() {
	if p.tls != nil {
		p.tls.close()
	}
}
