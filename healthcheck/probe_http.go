package healthcheck

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
)

// maxBody bounds what a probe reads of a response body (and its headers).
const maxBody = 64 << 10

// httpProbe GETs Path from the target and judges status code and body.
type httpProbe struct {
	check  Check
	url    string
	client *http.Client
	err    error // why the probe could not be built; reported by every call
}

func newHTTPProbe(t Target) *httpProbe {
	p := &httpProbe{check: t.Check, url: "http://" + t.Addr + t.Check.Path}
	tr := &http.Transport{
		Proxy:       nil, // probe the member itself, never through HTTP_PROXY
		DialContext: (&net.Dialer{}).DialContext,
		// A fresh connection per probe: the accept path is probed too, and no
		// idle connections pile up between probes.
		DisableKeepAlives:      true,
		DisableCompression:     true,
		MaxResponseHeaderBytes: maxBody,
	}
	if t.Check.Kind == HTTPS {
		p.url = "https://" + t.Addr + t.Check.Path
		tr.TLSClientConfig, p.err = tlsConfig(t.Check.TLS, t.Check.Host)
	}
	p.client = &http.Client{
		Transport: tr,
		// A redirect is an answer to judge by expect, not a hop to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return p
}

func (p *httpProbe) run(ctx context.Context) error {
	if p.err != nil {
		return p.err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return &failure{reason: reasonError, err: err}
	}
	req.Header.Set("User-Agent", userAgent)
	for _, h := range p.check.Headers {
		if strings.EqualFold(h.Name, "Host") {
			req.Host = h.Value // Go sends req.Host, never a Host header field
			continue
		}
		req.Header.Set(h.Name, h.Value)
	}
	if p.check.Host != "" {
		req.Host = p.check.Host
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return classify(ctx, err)
	}
	defer resp.Body.Close()
	if !p.check.expects(resp.StatusCode) {
		return failf(reasonStatus, "got %d, expected %v", resp.StatusCode, p.check.Expect)
	}
	if p.check.Match == nil {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return classify(ctx, err)
	}
	if !p.check.Match.Match(body) {
		return failf(reasonMatch, "body (first %d bytes) does not match %q", len(body), p.check.Match)
	}
	return nil
}

func (p *httpProbe) close() { p.client.CloseIdleConnections() }
