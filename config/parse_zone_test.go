package config

import (
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/policy"
)

func TestParseNameServersAndSOA(t *testing.T) {
	cfg := mustParse(t, `gslb gslb.example.com {
    ns ns1 127.0.0.1 ::1
    ns ns2.gslb.example.com. 127.0.0.2
    ns ns.provider.example.net.
    soa {
        mname ns2
        rname dns.admin@example.com
        serial 2026120101
        refresh 4h
        retry 1h30m
        expire 2w
        minimum 300
    }
    pool eu {
        member 192.0.2.10
    }
    record www {
        pools eu
    }
}`)
	want := []NS{
		{Name: "ns1", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")}},
		{Name: "ns2.gslb.example.com.", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.2")}},
		{Name: "ns.provider.example.net."},
	}
	if !reflect.DeepEqual(cfg.NameServers, want) {
		t.Fatalf("name servers %+v, want %+v", cfg.NameServers, want)
	}
	origin := "gslb.example.com."
	if got := cfg.NSNames(origin); !reflect.DeepEqual(got, []string{"ns1.gslb.example.com.", "ns2.gslb.example.com.", "ns.provider.example.net."}) {
		t.Errorf("NS names %v", got)
	}
	wantSOA := SOA{MName: "ns2", RName: `dns\.admin.example.com.`, Serial: 2026120101, Refresh: 4 * 3600, Retry: 5400, Expire: 14 * 86400, Minimum: 300}
	if cfg.SOA != wantSOA {
		t.Errorf("SOA %+v, want %+v", cfg.SOA, wantSOA)
	}
	if got := cfg.MName(origin); got != "ns2.gslb.example.com." {
		t.Errorf("MNAME %s", got)
	}
	if got := cfg.RName(origin); got != `dns\.admin.example.com.` {
		t.Errorf("RNAME %s", got)
	}
}

func TestParseSOADefaults(t *testing.T) {
	cfg := mustParse(t, stanza("\nttl 20\nns ns1 127.0.0.1"+poolEU+"\nrecord www {\n    pools eu\n}"))
	want := SOA{Refresh: DefaultRefresh, Retry: DefaultRetry, Expire: DefaultExpire, Minimum: 20}
	if cfg.SOA != want {
		t.Errorf("SOA %+v, want %+v", cfg.SOA, want)
	}
	if got := cfg.MName("example.com."); got != "ns1.example.com." {
		t.Errorf("MNAME %s, want the first name server", got)
	}
	if got := cfg.RName("example.com."); got != "hostmaster.example.com." {
		t.Errorf("RNAME %s", got)
	}
	bare := mustParse(t, stanza(poolEU+"\nrecord www {\n    pools eu\n}"))
	if got := bare.NSNames("example.com."); !reflect.DeepEqual(got, []string{"ns.dns.example.com."}) {
		t.Errorf("without ns lines, NS %v, want the synthesised name", got)
	}
	if bare.SOA.Minimum != MaxNegativeTTL {
		t.Errorf("default minimum %d, want %d", bare.SOA.Minimum, MaxNegativeTTL)
	}
}

func TestParseNameServerFreesSynthesisedName(t *testing.T) {
	// With ns lines, ns.dns.ZONE is a name like any other.
	cfg := mustParse(t, stanza("\nns ns1 127.0.0.1"+poolEU+"\nrecord ns.dns {\n    pools eu\n}"))
	if cfg.Records[0].Names[0] != "ns.dns.example.com." {
		t.Fatalf("record %v", cfg.Records[0].Names)
	}
}

func TestParseZoneErrors(t *testing.T) {
	www := poolEU + "\nrecord www {\n    pools eu\n}"
	runErrorCases(t, []errorCase{
		{"ns without name", stanza("\nns # <-"), []string{"ns: expected NAME [ADDRESS...]"}},
		{"ns in zone without glue", stanza("\nns ns1 # <-"), []string{"ns ns1: a name server in the zone needs its addresses", "expected ns ns1 ADDRESS..."}},
		{"ns absolute in zone without glue", stanza("\nns ns1.example.com. # <-"), []string{"ns ns1.example.com.: a name server in the zone needs its addresses"}},
		{"ns outside with glue", stanza("\nns ns1.example.net. 127.0.0.1 # <-"), []string{"ns ns1.example.net.: is outside the plugin's zones example.com.", "expected no ADDRESS"}},
		{"ns bad address", stanza("\nns ns1 127.0.0.300 # <-"), []string{`ns ns1: expected unicast IPv4 or IPv6 addresses after the name, got "127.0.0.300"`}},
		{"ns multicast", stanza("\nns ns1 224.0.0.1 # <-"), []string{`ns ns1: expected unicast`}},
		{"ns address twice", stanza("\nns ns1 127.0.0.1 127.0.0.1 # <-"), []string{"ns ns1: address 127.0.0.1 listed twice"}},
		{"ns twice", stanza("\nns ns1 127.0.0.1\nns ns1 127.0.0.2 # <-"), []string{"ns ns1: listed twice"}},
		{"ns bad name", stanza("\nns ns..1 127.0.0.1 # <-"), []string{`ns: expected a host name such as ns1 or ns1.example.net., got "ns..1"`}},
		{"ns wildcard", stanza("\nns *.ns 127.0.0.1 # <-"), []string{`ns: expected a host name`}},
		{"ns is a record", stanza("\nns www 127.0.0.1 # <-" + www), []string{"ns www: is also a record's name"}},
		{"soa unknown", stanza("\nsoa {\n    ttl 30 # <-\n}"), []string{`soa: unknown option "ttl": expected mname, rname, serial, refresh, retry, expire or minimum`}},
		{"soa without block", stanza("\nsoa # <-"), []string{"soa: expected '{' at the end of the line"}},
		{"soa twice", stanza("\nsoa {\n}\nsoa { # <-\n}"), []string{`option "soa" given twice`}},
		{"soa serial zero", stanza("\nsoa {\n    serial 0 # <-\n}"), []string{`serial: expected a whole number from 1 to 4294967295, got "0"`}},
		{"soa refresh bad unit", stanza("\nsoa {\n    refresh 2y # <-\n}"), []string{`refresh: expected seconds from 1 to 2147483647, as a number or with units (2h, 14d, 1w), got "2y"`}},
		{"soa minimum too long", stanza("\nsoa {\n    minimum 2d # <-\n}"), []string{`minimum: expected seconds from 0 to 86400`}},
		{"soa retry twice", stanza("\nsoa {\n    retry 1h\n    retry 2h # <-\n}"), []string{`option "retry" given twice`}},
		{"soa rname bad mailbox", stanza("\nsoa {\n    rname @example.com # <-\n}"), []string{`rname: expected a mailbox such as hostmaster@example.com, got "@example.com"`}},
		{"soa mname two", stanza("\nsoa {\n    mname a b # <-\n}"), []string{`mname: expected 1 argument(s), got 2`}},
		{"resolver name", stanza("\nresolver dns.example.net # <-"), []string{`resolver: expected a DNS server's address such as 127.0.0.1, 127.0.0.1:5353 or [::1]:53, got "dns.example.net"`}},
		{"resolver port zero", stanza("\nresolver 127.0.0.1:0 # <-"), []string{`resolver: expected a DNS server's address`}},
		{"resolver twice", stanza("\nresolver 127.0.0.1\nresolver 127.0.0.2 # <-"), []string{`option "resolver" given twice`}},
	})
}

func TestParseResolver(t *testing.T) {
	for in, want := range map[string]string{"127.0.0.1": "127.0.0.1:53", "127.0.0.1:5353": "127.0.0.1:5353", "::1": "[::1]:53", "[::1]:5300": "[::1]:5300"} {
		if got := mustParse(t, stanza("\nresolver "+in)).Resolver; got != want {
			t.Errorf("resolver %s: %q, want %q", in, got, want)
		}
	}
}

func TestParseHostNameMembers(t *testing.T) {
	cfg := mustParse(t, stanza(`
resolver 127.0.0.1:5300
check web {
    http 80 /
}
pool aws {
    member NLB-1.elb.example.net weight 2
    member nlb-2.elb.example.net. probe 127.0.0.1:8080
    check web
}
pool eu {
    member 192.0.2.10
}
record www {
    pools aws
}
record @ {
    pools aws eu
    flatten
}`))
	got := cfg.Pools[0].Members
	want := []policy.Member{{Host: "nlb-1.elb.example.net.", Weight: 2}, {Host: "nlb-2.elb.example.net.", Weight: 1, Probe: "127.0.0.1:8080"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("members %+v, want %+v", got, want)
	}
	if cfg.Records[0].Flatten || !cfg.Records[1].Flatten {
		t.Errorf("flatten %v %v, want false true", cfg.Records[0].Flatten, cfg.Records[1].Flatten)
	}
}

func TestParseHostNameErrors(t *testing.T) {
	aws := "\npool aws {\n    member nlb.example.net\n}"
	runErrorCases(t, []errorCase{
		{"mixed pool", stanza("\npool eu {\n    member 192.0.2.10\n    member nlb.example.net # <-\n}"), []string{`pool "eu": member nlb.example.net.: a pool's members are all addresses or all host names`}},
		{"host twice", stanza("\npool aws {\n    member nlb.example.net\n    member NLB.example.net. # <-\n}"), []string{`pool "aws": member nlb.example.net. listed twice`}},
		{"cname beside addresses", stanza(aws + poolEU + "\nrecord www {\n    pools aws eu # <-\n}"), []string{`record "www": pool "aws" has host-name members, answered with a CNAME, and pool "eu" addresses: expected flatten`}},
		{"cname with fallback addresses", stanza(aws + poolEU + "\nrecord www {\n    pools aws # <-\n    on_all_down pool eu\n}"), []string{`pool "aws" has host-name members`}},
		{"cname at the apex", stanza(aws + "\nrecord @ { # <-\n    pools aws\n}"), []string{`record "@": example.com. is the zone's apex, where a CNAME is not allowed`, "expected flatten"}},
		{"cname with answers", stanza(aws + "\nrecord www { # <-\n    pools aws\n    answers 2\n}"), []string{`answers 2: a CNAME answer has one target`}},
		{"cname with https", stanza(aws + "\nrecord www {\n    pools aws\n    https 1 alpn=h2 # <-\n}"), []string{`a CNAME answers every type at its name, HTTPS and SVCB too: expected flatten`}},
		{"flatten without host names", stanza(poolEU + "\nrecord www {\n    pools eu\n    flatten # <-\n}"), []string{`record "www": flatten: no pool of the record has host-name members`}},
		{"flatten with argument", stanza(aws + "\nrecord www {\n    pools aws\n    flatten yes # <-\n}"), []string{`flatten: expected 0 argument(s), got 1`}},
	})
}

func TestParseServices(t *testing.T) {
	cfg := mustParse(t, stanza(poolEU+`
record www {
    pools eu
    https 1 alpn=h3,h2 port=8443 ech=AEn+DQBFKwAgACABWIHUGj4u+PIggYXcR5JF0gYk3dCRioBW8uJq9H4mKAAIAAEAAQABAANAEnB1YmxpYy50bHMtZWNoLmRldgAA
    https 2 alpn=h2
    svcb 1 alpn=dot port=853
}`))
	svcs := cfg.Services[0]
	if len(svcs) != 3 {
		t.Fatalf("services %+v", svcs)
	}
	if svcs[0].Type != dns.TypeHTTPS || svcs[0].Priority != 1 || len(svcs[0].Params) != 3 || svcs[2].Type != dns.TypeSVCB {
		t.Fatalf("services %+v", svcs)
	}
	if got := svcs[0].Params[0].String(); got != "h3,h2" {
		t.Errorf("alpn %q", got)
	}
}

func TestParseServiceErrors(t *testing.T) {
	rec := func(line string) string {
		return stanza(poolEU + "\nrecord www {\n    pools eu\n    " + line + " # <-\n}")
	}
	runErrorCases(t, []errorCase{
		{"no priority", rec("https"), []string{`record "www": https: expected PRIORITY [KEY=VALUE...]`}},
		{"alias mode", rec("https 0 alpn=h2"), []string{`https: expected a priority from 1 to 65535 first (0 is AliasMode`}},
		{"hint", rec("https 1 ipv4hint=192.0.2.1"), []string{`https: ipv4hint is filled from the pool each answer chooses`}},
		{"unknown key", rec("https 1 colour=blue"), []string{`record "www": https: bad SVCB key: "colour=blue": expected parameters as RFC 9460 writes them`}},
		{"bad port", rec("svcb 1 port=http"), []string{`record "www": svcb: bad value "port=http": expected parameters`}},
		{"key without value", rec("https 1 alpn"), []string{`https: expected KEY=VALUE, got "alpn"`}},
		{"bare key", rec("https 1 =h2"), []string{`https: expected KEY=VALUE, got "=h2"`}},
	})
}

func TestParseWildcardRecords(t *testing.T) {
	cfg := mustParse(t, stanza(poolEU+"\nrecord *.apps {\n    pools eu\n}\nrecord *.example.com. {\n    pools eu\n}"))
	if got := cfg.Records[0].Names[0]; got != "*.apps.example.com." {
		t.Errorf("wildcard %s", got)
	}
	if len(cfg.Warnings) != 1 {
		t.Errorf("warnings %v, want one for the zone-wide wildcard", cfg.Warnings)
	}
}

func TestParseStatus(t *testing.T) {
	dir := t.TempDir()
	if got := mustParse(t, stanza("\nstatus")).Status; got == nil || got.Addr != DefaultStatusAddr || got.Token != "" {
		t.Errorf("status alone: %+v, want loopback without a token", got)
	}
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("  abc123  \nignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := mustParse(t, stanza("\nstatus :9000 {\n    token "+tokenFile+"\n}")).Status
	if got.Addr != ":9000" || got.Token != "abc123" || got.TokenFile != tokenFile {
		t.Errorf("status with a token: %+v", got)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := parseInput(stanza("\nstatus {\n    token " + empty + "\n}")); err == nil || !strings.Contains(err.Error(), "Testfile:3") || !strings.Contains(err.Error(), "token: expected a token without spaces on the first line") {
		t.Errorf("an empty token file: %v", err)
	}
	runErrorCases(t, []errorCase{
		{"bad address", stanza("\nstatus 8182 # <-"), []string{`status: expected HOST:PORT such as 127.0.0.1:8182 (:8182 for every interface), got "8182"`}},
		{"port zero", stanza("\nstatus 127.0.0.1:0 # <-"), []string{`status: expected HOST:PORT`}},
		{"two addresses", stanza("\nstatus a:1 b:2 # <-"), []string{`status: expected [ADDRESS], got 2 arguments`}},
		{"unknown option", stanza("\nstatus {\n    user admin # <-\n}"), []string{`status: unknown option "user": expected token`}},
		{"missing token file", stanza("\nstatus {\n    token {DIR}/missing # <-\n}"), []string{`token: expected an existing file`}},
		{"token is a directory", stanza("\nstatus {\n    token {DIR} # <-\n}"), []string{`token: expected a file, got the directory`}},
		{"twice", stanza("\nstatus\nstatus # <-"), []string{`option "status" given twice`}},
	})
}
