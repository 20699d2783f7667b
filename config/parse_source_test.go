package config

import (
	"net/netip"
	"testing"
)

// A check's source is an IP address, unmapped; without a source line the
// kernel picks (the zero Addr). Members and probe addresses of the source's
// family, and probe addresses by name, are accepted.
func TestParseCheckSource(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{"\n    source 127.0.0.2", "127.0.0.2"},
		{"\n    source 2001:DB8::1", "2001:db8::1"},
		{"\n    source ::ffff:192.0.2.1", "192.0.2.1"},
		{"", "invalid IP"},
	} {
		cfg := mustParse(t, stanza("\ncheck c {\n    tcp 443"+tt.body+"\n}"))
		if got := cfg.Checks[0].Source.String(); got != tt.want {
			t.Errorf("source line %q: Source %s, want %s", tt.body, got, tt.want)
		}
	}
	cfg := mustParse(t, stanza("\npool eu {\n    member 192.0.2.10\n    member 2001:db8::10 probe 127.0.0.1:8443"+
		"\n    member 2001:db8::11 probe localhost:8443\n    check c\n}\ncheck c {\n    tcp 443\n    source 127.0.0.2\n}"))
	if got := cfg.Checks[0].Source; got != netip.MustParseAddr("127.0.0.2") || len(cfg.Pools[0].Members) != 3 {
		t.Errorf("Source %s, pool %+v", got, cfg.Pools[0])
	}
}

func TestParseCheckSourceErrors(t *testing.T) {
	tcp := func(lines string) string { return stanza("\ncheck c {\n    tcp 443" + lines + "\n}") }
	pool := func(members string) string {
		return stanza("\ncheck c {\n    tcp 443\n    source 127.0.0.2\n}\npool eu {\n    member 192.0.2.10 probe 127.0.0.1:443" + members + "\n    check c\n}")
	}
	runErrorCases(t, []errorCase{
		{"no address", tcp("\n    source # <-"), []string{`check "c": source: expected 1 argument(s), got 0`}},
		{"two addresses", tcp("\n    source 127.0.0.2 127.0.0.3 # <-"), []string{`check "c": source: expected 1 argument(s), got 2`}},
		{"host name", tcp("\n    source probe.example.com # <-"), []string{`check "c": source: expected an IPv4 or IPv6 address, got "probe.example.com"`}},
		{"prefix", tcp("\n    source 192.0.2.0/24 # <-"), []string{`source: expected an IPv4 or IPv6 address, got "192.0.2.0/24"`}},
		{"zone", tcp("\n    source fe80::1%eth0 # <-"), []string{`source: expected an IPv4 or IPv6 address, got "fe80::1%eth0"`}},
		{"with port", tcp("\n    source 127.0.0.2:0 # <-"), []string{`source: expected an IPv4 or IPv6 address, got "127.0.0.2:0"`}},
		{"unspecified", tcp("\n    source 0.0.0.0 # <-"), []string{`check "c": source: expected a unicast address, got 0.0.0.0`}},
		{"multicast", tcp("\n    source ff02::1 # <-"), []string{`source: expected a unicast address, got ff02::1`}},
		{"twice", tcp("\n    source 127.0.0.2\n    source 127.0.0.3 # <-"), []string{`check "c": option "source" given twice (first on line 4)`}},
		{"misspelt", tcp("\n    src 127.0.0.2 # <-"), []string{`unknown option "src"`, "slow, errors, source, tls_skip_verify"}},
		{"member of the other family", pool("\n    member 2001:db8::10 # <-"),
			[]string{`pool "eu": member 2001:db8::10 is IPv6, but check "c" probes from source 127.0.0.2 (IPv4): a probe leaves from an address of its target's family`}},
		{"probe address of the other family", pool("\n    member 192.0.2.11 probe [::1]:443 # <-"),
			[]string{`pool "eu": member 192.0.2.11 probe [::1]:443 is IPv6, but check "c" probes from source 127.0.0.2 (IPv4)`}},
		{"check read after the pool", stanza("\npool eu {\n    member 192.0.2.10 # <-\n    check c\n}\ncheck c {\n    tcp 443\n    source ::1\n}"),
			[]string{`member 192.0.2.10 is IPv4, but check "c" probes from source ::1 (IPv6)`}},
	})
}
