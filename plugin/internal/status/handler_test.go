package status

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// zoneSource is a stanza of the given zones whose explain says which it
// is: the tests here are of the listener, the stanzas' own answers are
// tested with the plugin.
type zoneSource struct{ zones []string }

func (s *zoneSource) Zones() []string { return s.zones }
func (s *zoneSource) Status() Stanza  { return Stanza{Zones: s.zones} }
func (s *zoneSource) Explain(q Query) (Explanation, error) {
	return Explanation{Name: q.Name, Record: s.zones[0], Client: Client{Address: q.Client}}, nil
}

// listenerOf is the handler of a listener showing sources.
func listenerOf(token string, sources ...Source) http.Handler {
	l := &listener{}
	l.sources.Store(&sources)
	l.token.Store(&token)
	return l.routes()
}

// bodyOf is the status code and body of a GET of path from h.
func bodyOf(h http.Handler, path, token string) (int, string) {
	resp := get(h, path, token)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestListenerToken(t *testing.T) {
	h := listenerOf("t0k", &zoneSource{zones: []string{"gslb.test."}})
	for _, tc := range []struct {
		token string
		code  int
	}{{"", 401}, {"t0", 401}, {"t0kk", 401}, {"t0k", 200}} {
		if code, body := bodyOf(h, "/v1/status", tc.token); code != tc.code {
			t.Errorf("token %q: %d %s, want %d", tc.token, code, body, tc.code)
		}
	}
}

func TestListenerExplainRouting(t *testing.T) {
	outer, inner := &zoneSource{zones: []string{"example.test."}}, &zoneSource{zones: []string{"gslb.example.test."}}
	h := listenerOf("", outer, inner)
	for name, want := range map[string]string{"app.gslb.example.test": "gslb.example.test.", "www.example.test": "example.test."} {
		code, body := bodyOf(h, "/v1/explain?client=192.0.2.1&name="+name, "")
		var e Explanation
		if code != 200 || json.Unmarshal([]byte(body), &e) != nil || e.Record != want {
			t.Errorf("%s: %d %s, want the stanza of %s (the most specific zone)", name, code, body, want)
		}
	}
	for query, msg := range map[string]string{
		"name=a..b&client=192.0.2.1":                     "name: expected a domain name",
		"name=a.example.test&client=x":                   "client: expected an IP address or a subnet",
		"name=a.example.test&country=Germany":            "country: expected an ISO 3166 code",
		"name=a.example.test&asn=ASX":                    "asn: expected an AS number",
		"name=a.example.test&country=DE&asn=1":           "expected one of them",
		"name=a.example.test&country=DE&client=10.0.0.1": "expected client, country or asn, not two",
		"name=a.example.test&client=10.0.0.1&resolver=x": "resolver: expected an IP address",
	} {
		if code, body := bodyOf(h, "/v1/explain?"+query, ""); code != 400 || !strings.Contains(body, msg) {
			t.Errorf("%s: %d %s, want 400 with %q", query, code, body, msg)
		}
	}
	if code, _ := bodyOf(h, "/v1/explain?name=other.test&client=192.0.2.1", ""); code != 404 {
		t.Errorf("a name outside every zone: %d, want 404", code)
	}
}

func TestRegistrySharesAndClosesListeners(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := &Registry{listeners: map[string]*listener{}}
	a, b := &zoneSource{zones: []string{"a.test."}}, &zoneSource{zones: []string{"b.test."}}
	if err := r.Join(addr, "", a); err != nil {
		t.Fatal(err)
	}
	if err := r.Join(addr, "", b); err != nil { // the next configuration, before the old one leaves
		t.Fatal(err)
	}
	r.Leave(addr, a)
	var rep Report
	resp, err := http.Get("http://" + addr + "/v1/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&rep) != nil || len(rep.Stanzas) != 1 || rep.Stanzas[0].Zones[0] != "b.test." {
		t.Fatalf("after a reload's join and leave: %d %+v", resp.StatusCode, rep)
	}
	r.Leave(addr, b)
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatal("the listener is still open after its last stanza left")
	}
}
