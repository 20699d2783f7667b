package healthcheck

import (
	"net/netip"
	"regexp"
	"testing"
	"time"
)

func TestTargetKey(t *testing.T) {
	base := func() Target {
		c := NewCheck("web", HTTPS)
		c.Port, c.Path = 443, "/healthz"
		return Target{Addr: "192.0.2.10:443", Check: c}
	}
	same := map[string]func(*Target){
		"another name":                   func(t *Target) { t.Check.Name = "web2" },
		"another port (Addr is dialled)": func(t *Target) { t.Check.Port = 8443 },
		"explicit default expect":        func(t *Target) { t.Check.Expect = []StatusRange{{200, 299}} },
		"zero interval means default":    func(t *Target) { t.Check.Interval = 0 },
	}
	agentHeader := func(t *Target) { t.Check.AgentHeader = "X-Agent" }
	differ := map[string]func(*Target){
		"addr":         func(t *Target) { t.Addr = "192.0.2.11:443" },
		"kind":         func(t *Target) { t.Check.Kind = HTTP },
		"path":         func(t *Target) { t.Check.Path = "/ready" },
		"host":         func(t *Target) { t.Check.Host = "app.example.com" },
		"expect":       func(t *Target) { t.Check.Expect = []StatusRange{{200, 399}} },
		"match":        func(t *Target) { t.Check.Match = regexp.MustCompile("ok") },
		"header":       func(t *Target) { t.Check.Headers = []Header{{"X-A", "1"}} },
		"tls":          func(t *Target) { t.Check.TLS.SkipVerify = true },
		"tls ca":       func(t *Target) { t.Check.TLS.CAFile = "/ca.pem" },
		"interval":     func(t *Target) { t.Check.Interval = time.Second },
		"timeout":      func(t *Target) { t.Check.Timeout = time.Second },
		"rise":         func(t *Target) { t.Check.Rise = 5 },
		"fall":         func(t *Target) { t.Check.Fall = 5 },
		"slow":         func(t *Target) { t.Check.Slow = time.Second },
		"service":      func(t *Target) { t.Check.Service = "web" },
		"qname":        func(t *Target) { t.Check.QName = "a.example." },
		"qtype":        func(t *Target) { t.Check.QType = 28 },
		"path text":    func(t *Target) { t.Check.Path = `/healthz" host="x` }, // quoting keeps fields apart
		"source":       func(t *Target) { t.Check.Source = netip.MustParseAddr("192.0.2.99") },
		"agent header": agentHeader,
	}
	want := base().Key()
	for name, change := range same {
		tg := base()
		change(&tg)
		if got := tg.Key(); got != want {
			t.Errorf("%s: key %q, want the same as %q", name, got, want)
		}
	}
	for name, change := range differ {
		tg := base()
		change(&tg)
		if tg.Key() == want {
			t.Errorf("%s: key unchanged %q", name, want)
		}
	}
	// A header name in another case is the same header.
	a, b := base(), base()
	agentHeader(&a)
	b.Check.AgentHeader = "x-agent"
	if a.Key() != b.Key() {
		t.Errorf("agent_header X-Agent and x-agent: keys %q and %q, want one", a.Key(), b.Key())
	}
}

// Two checks differing only in source get two probers; a check without one
// keeps the key it had before sources existed.
func TestTargetKeySource(t *testing.T) {
	c := NewCheck("web", TCP)
	plain := Target{Addr: "127.0.0.1:80", Check: c}
	want := `tcp 127.0.0.1:80 path="" qname="" qtype=0 service="" host="" expect=[200-299] tls=false,"","","" interval=5s timeout=2s rise=2 fall=3 slow=0s`
	if got := plain.Key(); got != want {
		t.Errorf("key without source:\n got %q\nwant %q", got, want)
	}
	c.Source = netip.MustParseAddr("127.0.0.2")
	two := Target{Addr: plain.Addr, Check: c}
	c.Source = netip.MustParseAddr("127.0.0.3")
	three := Target{Addr: plain.Addr, Check: c}
	if two.Key() != want+" source=127.0.0.2" || three.Key() == two.Key() {
		t.Errorf("keys with sources: %q and %q", two.Key(), three.Key())
	}
}
