package config

import (
	"strings"
	"testing"

	"github.com/coredns/caddy"
)

// fuzzSeeds are stanza bodies, valid and not, that the fuzzer mutates.
var fuzzSeeds = []string{
	"",
	"ttl 30\necs off\necs_private ignore\nfallthrough a.example.com",
	poolEU + poolUS + "\nrecord app @ x.example.com. {\n    policy weighted\n    pools eu us\n    select hash\n    answers 2\n    on_all_down pool us\n}",
	checkWeb + "\npool eu {\n    member 192.0.2.10 weight 3 probe 127.0.0.1:8443\n    member 2001:db8::10\n    check web\n    min_healthy 2\n    location 50.11 8.68\n}",
	"check c {\n    dns 53 example.org AAAA\n    interval 1s\n    timeout 500ms\n}\ncheck g {\n    grpc 9090 svc\n    tls_skip_verify\n}",
	"check h {\n    https 443 /\n    expect 200-299 301\n    match ^ok$\n    header X-A b\n    rise 1\n    fall 1\n    slow 10ms\n}",
	poolEU + "\nrecord app {\n    policy geo\n    pools eu\n    route eu net 10.1.0.0/16 2001:db8::/32\n}",
	poolEU + "\nrecord app {\n    policy geo\n    pools eu\n    route eu country DE\n    route eu continent EU\n    route eu subdivision US-CA\n    route eu asn AS64500\n}",
	poolEU + "\nrecord app {\n    policy nearest\n    pools eu\n}",
	"pool eu {\n    member 192.0.2.10 weight\n    member 1.2.3\n}",
	"record *.x {\n    pools nope\n    route nope city X\n}",
	"ttl 30 {\n    ecs off\n}\n{\n}\n}",
	"check c {\n    tcp 0\n    http 80 x\n    expect 600-100\n    interval -1s\n}",
	"pool p {\n    location NaN Inf\n    member ::ffff:10.0.0.1\n    member fe80::1%eth0\n}",
	"record a {\n    on_all_down pool\n    pools {\n}",
	"\"quoted\nvalue\" `back` \\{ \\}\ncheck \"\" {\n}",
	"ns ns1 127.0.0.1 ::1\nns ns.example.net.\nsoa {\n    mname ns1\n    rname a.b@example.com\n    serial 7\n    refresh 2h30m\n    retry 1w\n    expire 14d\n    minimum 0\n}\nresolver [::1]:5353",
	"ns\nns ns1\nns x.example.net. 1.2.3.4\nsoa {\n    refresh 9999999999\n    rname @\n}\nresolver name",
	"pool aws {\n    member nlb.example.net weight 2 probe 127.0.0.1:80\n    member 192.0.2.1\n}\nrecord @ www {\n    pools aws\n    flatten\n    answers 3\n}",
	poolEU + "\nrecord *.apps * a.*.b {\n    pools eu\n    https 1 alpn=h3,h2 port=8443 ech=AEn+\n    https 0\n    svcb 2 ipv4hint=1.2.3.4 mandatory=alpn no-default-alpn\n}",
}

// FuzzParse feeds arbitrary text to the parser, both as the body of a gslb
// stanza and as the whole input: it may fail but must never panic.
func FuzzParse(f *testing.F) {
	for _, seed := range fuzzSeeds {
		f.Add(seed)
	}
	f.Add(fullExample)
	f.Add(strings.ReplaceAll(fullExample, "{GEOIP}", "/nonexistent/GeoIP2-City.mmdb"))
	f.Fuzz(func(t *testing.T, input string) {
		for _, in := range []string{"gslb example.com example.net {\n" + input + "\n}", input} {
			c := caddy.NewTestController("dns", in)
			cfg, err := Parse(c)
			if err == nil && cfg == nil {
				t.Fatalf("parse returned neither a config nor an error for %q", in)
			}
			if err != nil && cfg != nil {
				t.Fatalf("parse returned a config and the error %v", err)
			}
		}
	})
}
