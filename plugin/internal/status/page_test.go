package status

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

type fakeSource struct{}

func (fakeSource) Zones() []string { return []string{"gslb.test."} }
func (fakeSource) Status() Stanza {
	return Stanza{Zones: []string{"gslb.test."}, Records: []Record{{Names: []string{"app.gslb.test."}, Pools: []string{"eu"}}}}
}
func (fakeSource) Explain(q Query) (Explanation, error) { return Explanation{Name: q.Name}, nil }

// testListener is the handler of a listener with one stanza and token
// ("" for none).
func testListener(token string) http.Handler { return listenerOf(token, fakeSource{}) }

func get(h http.Handler, path, token string) *http.Response {
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Result()
}

// Every file the page loads (index.html's links and scripts, each module's
// imports) is served with its type and the policy; a missing one would
// leave the page blank in the browser.
func TestPageFilesServedWithPolicy(t *testing.T) {
	h := testListener("")
	want := map[string]string{".html": "text/html", ".js": "javascript", ".css": "text/css", ".svg": "image/svg+xml"}
	refs := regexp.MustCompile(`(?:src|href)="(/page/[^"]+)"|from '\./([^']+)'`)
	queue, seen := []string{"/"}, map[string]bool{"/": true}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		resp := get(h, path, "")
		body, _ := io.ReadAll(resp.Body)
		ext := ".html"
		if i := strings.LastIndex(path, "."); i > 0 {
			ext = path[i:]
		}
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), want[ext]) {
			t.Errorf("GET %s: %s, Content-Type %q; want 200 and %s", path, resp.Status, resp.Header.Get("Content-Type"), want[ext])
		}
		if got := resp.Header.Get("Content-Security-Policy"); got != pageCSP || !strings.HasPrefix(got, "default-src 'self';") {
			t.Errorf("GET %s: Content-Security-Policy %q, want %q", path, got, pageCSP)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", path)
		}
		for _, m := range refs.FindAllStringSubmatch(string(body), -1) {
			ref := m[1] + m[2]
			if m[2] != "" {
				ref = "/page/" + m[2]
			}
			if !seen[ref] {
				seen[ref] = true
				queue = append(queue, ref)
			}
		}
	}
	if len(seen) < 5 {
		t.Errorf("found only %v from /: want the stylesheet, the icon and the modules", seen)
	}
}

// The policy forbids inline code, and the scripts build nodes with
// textContent: no file may rely on either.
func TestPageHasNoInlineCodeNorMarkupFromData(t *testing.T) {
	inline := regexp.MustCompile(`<script(?:\s+type="module")?>|<style|\sstyle=|\son[a-z]+=|javascript:`)
	markup := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|createContextualFragment|DOMParser`)
	files, _ := fs.Glob(pageFiles, "page/*")
	for _, name := range files {
		data, _ := fs.ReadFile(pageFiles, name)
		if m := inline.Find(data); m != nil && strings.HasSuffix(name, ".html") {
			t.Errorf("%s has inline code %q: the Content-Security-Policy blocks it", name, m)
		}
		if m := markup.Find(data); m != nil && strings.HasSuffix(name, ".js") {
			t.Errorf("%s uses %q: data must reach the page as text (dom.js el)", name, m)
		}
	}
}

// With a token, the page's files need none (they hold no data and ask for
// it) and everything else does: the JSON, and every unknown path, which
// says 401 rather than whether it exists.
func TestPageTokenFlow(t *testing.T) {
	h := testListener("s3cret")
	for _, tc := range []struct {
		path, token string
		code        int
	}{
		{"/", "", http.StatusOK},
		{"/page/main.js", "", http.StatusOK},
		{"/page/nothing.js", "", http.StatusNotFound},
		{"/page/..%2fpage.go", "", http.StatusNotFound},
		{"/page/..%2fpage%2findex.html", "", http.StatusNotFound},
		{"/v1/status", "", http.StatusUnauthorized},
		{"/v1/status", "wrong", http.StatusUnauthorized},
		{"/v1/status", "s3cret", http.StatusOK},
		{"/v1/explain?name=app.gslb.test&client=192.0.2.1", "", http.StatusUnauthorized},
		{"/v1/explain?name=app.gslb.test&client=192.0.2.1", "s3cret", http.StatusOK},
		{"/v1/nothing", "", http.StatusUnauthorized},
		{"/v1/nothing", "s3cret", http.StatusNotFound},
	} {
		resp := get(h, tc.path, tc.token)
		if resp.StatusCode != tc.code {
			t.Errorf("GET %s with token %q: %s, want %d", tc.path, tc.token, resp.Status, tc.code)
		}
		if tc.code == http.StatusUnauthorized && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("GET %s: 401 without WWW-Authenticate: Bearer", tc.path)
		}
	}
	if resp := get(testListener(""), "/v1/status", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /v1/status without a token configured: %s, want 200", resp.Status)
	}
}
