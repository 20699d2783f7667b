package hostname

import (
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func TestParseServer(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"192.0.2.53":       "192.0.2.53:53",
		"192.0.2.53:5353":  "192.0.2.53:5353",
		"2001:db8::53":     "[2001:db8::53]:53",
		"[2001:db8::53]":   "[2001:db8::53]:53",
		"[2001:DB8::53]:5": "[2001:db8::53]:5",
	} {
		if got, err := ParseServer(in); got != want || err != nil {
			t.Errorf("ParseServer(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"resolver.example.net", "resolver.example.net:53", "192.0.2.53:0", "192.0.2.53:65536",
		"192.0.2.53:dns", "192.0.2.300", "[192.0.2.53", ":53", "2001:db8::53:53:x"} {
		if got, err := ParseServer(in); err == nil {
			t.Errorf("ParseServer(%q) = %q, want an error", in, got)
		}
	}
}

func TestConfServers(t *testing.T) {
	conf, err := dns.ClientConfigFromReader(strings.NewReader("search example.net\nnameserver 192.0.2.53\nnameserver 2001:db8::53\nnameserver bogus\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := confServers(conf); !slices.Equal(got, []string{"192.0.2.53:53", "[2001:db8::53]:53"}) || err != nil {
		t.Errorf("confServers = %q, %v", got, err)
	}
	conf.Servers = nil
	if _, err := confServers(conf); err == nil {
		t.Error("confServers of no nameserver: no error")
	}
}
