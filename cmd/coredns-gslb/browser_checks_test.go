package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The checks of TestBrowserStatusPage beyond reading the page's tables,
// and its artifacts.

// explainForm asks the form about a bad client (the API's 400 message is
// shown) and then a geo client whose route's pool is down.
func (p *statusPage) explainForm(t *testing.T) {
	t.Helper()
	p.b.typeInto(t, `#explain-form input[name=name]`, "geo.gslb.test")
	p.b.typeInto(t, `#explain-form input[name=client]`, "nowhere")
	p.b.click(t, "#explain-submit")
	p.waitFor(t, "the explain error", 10*time.Second, p.field("error"),
		`400: client: expected an IP address or a subnet such as 192.0.2.0/24 (or a country or asn parameter), got "nowhere"`)
	p.b.typeInto(t, `#explain-form input[name=client]`, "10.1.2.0/24")
	p.b.click(t, "#explain-submit")
	p.waitFor(t, "the explanation", 10*time.Second, p.field("action"), "answer")
	p.expect(t, "the client", p.field("client"), "10.1.2.0/24 (ecs)")
	p.expect(t, "the route matched", p.field("matched"), "net (scope /8) → eu")
	p.expect(t, "the pool answering", p.field("pool"), "us")
	var records string
	p.b.eval(t, &records, `return document.querySelector('[data-field=records]').textContent`)
	if !strings.Contains(records, "198.51.100.10") || strings.Contains(records, "192.0.2.10") {
		t.Errorf("explain shows the records %q, want us's 198.51.100.10 and not eu's", records)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// saveArtifact writes a test artifact under $GSLB_ARTIFACTS, or the test's
// temporary directory, and logs where.
func saveArtifact(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := os.Getenv("GSLB_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	writeFile(t, path, string(data))
	t.Logf("saved %s", path)
}

// noPolicyViolations fails on a Content-Security-Policy report in the
// browser's console: a script or style the policy blocked.
func (p *statusPage) noPolicyViolations(t *testing.T) {
	t.Helper()
	var entries []struct{ Level, Message string }
	if err := p.b.do("POST", "/se/log", map[string]string{"type": "browser"}, &entries); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Message, "Content Security Policy") {
			t.Errorf("browser console: %s %s", e.Level, e.Message)
		}
	}
}

// checkProtected checks, without the browser, that the page is served
// with its policy and no token while the JSON needs the token.
func checkProtected(t *testing.T, url string) {
	t.Helper()
	get := func(path, token string) *http.Response {
		req, _ := http.NewRequest("GET", url+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := get("", ""); r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("GET / without the token: %s, Content-Security-Policy %q; want 200 with default-src 'self'", r.Status, r.Header.Get("Content-Security-Policy"))
	}
	for _, tc := range []struct {
		token string
		code  int
	}{{"", http.StatusUnauthorized}, {"wrong", http.StatusUnauthorized}, {pageToken, http.StatusOK}} {
		if r := get("v1/status", tc.token); r.StatusCode != tc.code {
			t.Errorf("GET /v1/status with token %q: %s, want %d", tc.token, r.Status, tc.code)
		}
	}
}
