package config

import (
	"strings"
	"testing"

	"github.com/coredns/caddy"
)

// Corefiles that used to start and then serve wrong answers, or never use
// what they say, are refused at the line that says it.
func TestParseRefusesWhatCannotWork(t *testing.T) {
	tcp := func(lines string) string { return stanza("\ncheck c {\n    tcp 443" + lines + "\n}") }
	runErrorCases(t, []errorCase{
		{"relative name ending in its zone", stanza(poolEU + "\nrecord app.example.com { # <-\n    pools eu\n}"),
			[]string{`record "app.example.com": a relative name ending in its zone example.com. would be app.example.com.example.com.: expected app.example.com. (with the final dot) or app`}},
		{"relative apex written in full", stanza(poolEU + "\nrecord example.com { # <-\n    pools eu\n}"),
			[]string{`expected example.com. (with the final dot) or @`}},
		{"the name server's name", stanza(poolEU + "\nrecord ns.dns { # <-\n    pools eu\n}"),
			[]string{`record "ns.dns.example.com.": ns.dns.example.com. is the zone's name server`}},
		{"a name below the name server", stanza(poolEU + "\nrecord www.ns.dns.example.com. { # <-\n    pools eu\n}"),
			[]string{`record "www.ns.dns.example.com.": ns.dns.example.com. is the zone's name server`}},
		{"fallthrough outside the zones", stanza("\nfallthrough example.org # <-"),
			[]string{"fallthrough: zone example.org. is outside the plugin's zones example.com., so it would never apply"}},
		{"slow at the timeout", tcp("\n    timeout 1s\n    slow 1s # <-"), []string{`check "c": slow 1s must be below timeout 1s, or it can never apply`}},
		{"slow above the default timeout", tcp("\n    slow 3s # <-"), []string{`check "c": slow 3s must be below timeout 2s`}},
		{"timeout below slow", tcp("\n    slow 500ms\n    timeout 400ms # <-"), []string{`check "c": slow 500ms must be below timeout 400ms`}},
		{"interval below the floor", tcp("\n    timeout 10ms\n    interval 50ms # <-"), []string{`check "c": interval 50ms: expected at least 100ms`}},
		{"override in a missing directory", stanza("\noverride {DIR}/missing/overrides # <-"), []string{"override: expected a file in an existing directory, got", "missing/overrides"}},
		{"member option without a value, misspelt", stanza("\npool eu {\n    member 192.0.2.10 backup # <-\n}"), []string{`pool "eu": member 192.0.2.10: unknown option "backup": expected weight or probe`}},
		{"tls_ca not PEM", stanza("\ncheck c {\n    https 443 /\n    tls_ca {NOTPEM} # <-\n}"), []string{`check "c": tls_ca `, "not.pem: no PEM certificate found"}},
		{"tls_cert not PEM", stanza("\ncheck c {\n    https 443 /\n    tls_cert {NOTPEM} {KEY} # <-\n}"), []string{`check "c": tls_cert `, "not.pem"}},
		{"tls_cert key not PEM", stanza("\ncheck c {\n    https 443 /\n    tls_cert {CERT} {NOTPEM} # <-\n}"), []string{`check "c": tls_cert key `, "not.pem: no PEM private key found"}},
		{"tls_cert key of another certificate", stanza("\ncheck c {\n    https 443 /\n    tls_cert {CERT} {OTHERKEY} # <-\n}"), []string{`check "c": tls_cert `, "private key does not match public key"}},
		{"member option misspelt before a value", stanza("\npool eu {\n    member 192.0.2.10 wieght 2 # <-\n}"), []string{`member 192.0.2.10: unknown option "wieght": expected weight or probe`}},
	})
}

// What still parses: a fallthrough zone above or below the stanza's, a
// slow below the timeout, an interval at the floor, an override file that
// does not exist yet in a directory that does, a relative name of several
// labels, and the zone of a parent of the server block's.
func TestParseAcceptsTheNeighbours(t *testing.T) {
	f := newFiles(t)
	input := f.expand(stanza("\nfallthrough sub.example.com com\noverride {DIR}/overrides-later" +
		"\ncheck c {\n    tcp 443\n    interval 100ms\n    timeout 50ms\n    slow 40ms\n}" +
		"\npool eu {\n    member 192.0.2.10\n    check c\n}\nrecord app.eu {\n    pools eu\n}"))
	cfg := mustParse(t, input)
	if got := cfg.Records[0].Names[0]; got != "app.eu.example.com." {
		t.Errorf("record name %q, want app.eu.example.com.", got)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("warnings %v, want none", cfg.Warnings)
	}
}

// A stanza zone outside every zone of its server block gets no query:
// refused, naming the block's zones. Zones below (or above) one are served.
func TestParseZoneOutsideTheServerBlock(t *testing.T) {
	for _, tt := range []struct {
		keys  []string
		input string
		want  string // "" when it parses
	}{
		{[]string{"gslb.example.test:1053"}, "gslb gslb.exmaple.test {\n}", "gslb: zone gslb.exmaple.test. is outside the server block's zones gslb.example.test.: expected one of them or a zone below one"},
		{[]string{"a.test:53", "dns://b.test:53"}, "gslb c.test {\n}", "zones a.test. b.test."},
		{[]string{"gslb.example.test:1053"}, "gslb eu.gslb.example.test {\n}", ""},
		{[]string{"gslb.example.test:1053"}, "gslb {\n}", ""},
		{[]string{".:53"}, "gslb gslb.example.test {\n}", ""},
	} {
		c := caddy.NewTestController("dns", tt.input)
		c.ServerBlockKeys = tt.keys
		_, err := Parse(c)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v %q: %v, want it to parse", tt.keys, tt.input, err)
		case tt.want != "" && err == nil:
			t.Errorf("%v %q: parsed, want an error containing %q", tt.keys, tt.input, tt.want)
		case tt.want != "":
			checkErr(t, err, 1, []string{tt.want})
		}
	}
}

// Pools no record answers from and checks no pool runs still run, and are
// warned about with the line that defines them.
func TestParseWarnsOfUnused(t *testing.T) {
	input := stanza("\ncheck spare {\n    tcp 443\n}" + poolEU + poolUS + "\nrecord app {\n    pools eu\n}")
	cfg := mustParse(t, input)
	var got []string
	for _, w := range cfg.Warnings {
		got = append(got, w.Error())
	}
	want := []string{
		`Testfile:8 - pool "us": no record answers from it`,
		`Testfile:2 - check "spare": no pool runs it`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	fallback := mustParse(t, stanza(poolEU+poolUS+"\nrecord app {\n    pools eu\n    on_all_down pool us\n}"))
	if len(fallback.Warnings) != 0 {
		t.Errorf("an on_all_down pool is used: warnings %v", fallback.Warnings)
	}
}

func TestParseECSTrust(t *testing.T) {
	cfg := mustParse(t, stanza("\necs_trust 192.0.2.0/24 2001:db8::/32 198.51.100.53"))
	want := []string{"192.0.2.0/24", "2001:db8::/32", "198.51.100.53/32"}
	var got []string
	for _, p := range cfg.ECSTrust {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ECSTrust %v, want %v", got, want)
	}
	if cfg := mustParse(t, stanza("")); cfg.ECSTrust != nil {
		t.Errorf("default ECSTrust %v, want nil (every source)", cfg.ECSTrust)
	}
	runErrorCases(t, []errorCase{
		{"no networks", stanza("\necs_trust # <-"), []string{"ecs_trust: expected one or more networks"}},
		{"not a network", stanza("\necs_trust resolvers # <-"), []string{`ecs_trust: expected a network such as 192.0.2.0/24 or an address, got "resolvers"`}},
		{"host bits", stanza("\necs_trust 192.0.2.1/24 # <-"), []string{"ecs_trust: 192.0.2.1/24 has bits set beyond /24: expected 192.0.2.0/24"}},
		{"mapped", stanza("\necs_trust ::ffff:192.0.2.0/120 # <-"), []string{"ecs_trust: expected 192.0.2.0 as an IPv4 network"}},
		{"twice", stanza("\necs_trust 192.0.2.0/24\necs_trust 198.51.100.0/24 # <-"), []string{`option "ecs_trust" given twice (first on line 2)`}},
	})
}
