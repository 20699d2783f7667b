package gslb

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"
)

// poolEU is a pool block on lines 2 to 4 of a stanza.
const poolEU = "\npool eu {\n    member 192.0.2.10\n}"

func stanza(body string) string { return "gslb example.com {" + body + "\n}\n" }

// checkErr asserts that err is an error of setup at Testfile:line, the
// name caddy.NewTestController gives its input, containing every phrase
// of want.
func checkErr(t *testing.T, err error, line int, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one at line %d containing %q", line, want)
	}
	msg := err.Error()
	if prefix := fmt.Sprintf("Testfile:%d - Error during parsing: ", line); !strings.Contains(msg, prefix) {
		t.Errorf("error %q does not contain %q", msg, prefix)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
}

func TestSetup(t *testing.T) {
	c := caddy.NewTestController("dns", stanza(poolEU+"\nrecord app {\n    pools eu\n}"))
	if err := setup(c); err != nil {
		t.Fatalf("setup: %v", err)
	}
	if n := len(dnsserver.GetConfig(c).Plugin); n != 1 {
		t.Fatalf("setup added %d plugins, want 1", n)
	}

	c = caddy.NewTestController("dns", stanza(poolEU+"\nrecord app {\n    pools eu asia\n}"))
	err := setup(c)
	checkErr(t, err, 6, "plugin/gslb: ", `unknown pool "asia"`)
	if n := len(dnsserver.GetConfig(c).Plugin); n != 0 {
		t.Fatalf("failed setup added %d plugins, want 0", n)
	}
}

// A file that is not a MaxMind database fails setup at its geoip line: it
// is opened there, not by the parser, and not when a query needs it.
func TestSetupGeoIPNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "not.mmdb")
	if err := os.WriteFile(path, []byte("test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := caddy.NewTestController("dns", stanza("\nttl 30\ngeoip "+path+poolEU+"\nrecord app {\n    pools eu\n}"))
	err := setup(c)
	checkErr(t, err, 3, "plugin/gslb: ", "geoip: expected a MaxMind database", "not.mmdb")
	if n := len(dnsserver.GetConfig(c).Plugin); n != 0 {
		t.Fatalf("failed setup added %d plugins, want 0", n)
	}
}
