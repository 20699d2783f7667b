package config

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"

	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/internal/certtest"
	"github.com/gslb/gslb/internal/geoiptest"
	"github.com/gslb/gslb/policy"
)

// testFile is the file name caddy.NewTestController gives its input; every
// parse error must name it.
const testFile = "Testfile"

// errMark ends the line a test expects an error on. The Corefile lexer
// drops it as a comment.
const errMark = "# <-"

// files are the paths the test stanzas refer to, written into a temporary
// directory: {GEOIP}, {CA}, {CERT} and {KEY} (a certificate and its key, PEM),
// {NOTDB} and {NOTPEM} (text), and {DIR} (a directory).
type files map[string]string

func newFiles(t *testing.T) files {
	t.Helper()
	dir := t.TempDir()
	f := files{"{DIR}": dir}
	f["{CERT}"], f["{KEY}"] = certtest.Files(t, dir, "cert")
	_, f["{OTHERKEY}"] = certtest.Files(t, dir, "other")
	f["{CA}"] = filepath.Join(dir, "ca.pem")
	if err := os.Link(f["{CERT}"], f["{CA}"]); err != nil { // a self-signed certificate is its own CA
		t.Fatal(err)
	}
	for key, name := range map[string]string{"{NOTDB}": "not.mmdb", "{NOTPEM}": "not.pem"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("test\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		f[key] = path
	}
	f["{GEOIP}"] = filepath.Join(dir, "GeoIP2-City.mmdb")
	geoiptest.Write(t, f["{GEOIP}"], "GeoIP2-City", []geoiptest.Entry{{Network: "192.0.2.0/24", Continent: "EU", Country: "DE"}})
	return f
}

// expand replaces the placeholders of f in input.
func (f files) expand(input string) string {
	var pairs []string
	for k, v := range f {
		pairs = append(pairs, k, v)
	}
	return strings.NewReplacer(pairs...).Replace(input)
}

// parseInput parses input as the tokens of one server block's gslb plugin.
func parseInput(input string) (*Config, error) {
	return Parse(caddy.NewTestController("dns", input))
}

func mustParse(t *testing.T, input string) *Config {
	t.Helper()
	cfg, err := parseInput(input)
	if err != nil {
		t.Fatalf("parse: %v\ninput:\n%s", err, input)
	}
	return cfg
}

// stanza wraps body in a gslb stanza for zone example.com; body starts on
// line 2 when it starts with a newline.
func stanza(body string) string {
	return "gslb example.com {" + body + "\n}\n"
}

// Snippets the error cases build on.
const (
	poolEU    = "\npool eu {\n    member 192.0.2.10\n}"
	poolUS    = "\npool us {\n    member 198.51.100.10\n}"
	checkWeb  = "\ncheck web {\n    http 80 /\n}"
	geoipLine = "\ngeoip {GEOIP}"
)

func TestTestControllerFile(t *testing.T) {
	c := caddy.NewTestController("dns", "gslb example.com")
	if got := c.File(); got != testFile {
		t.Fatalf("File() = %q before the first token, want %q", got, testFile)
	}
	c.Next()
	if got := c.File(); got != testFile {
		t.Fatalf("File() = %q, want %q", got, testFile)
	}
}

// fullExample is the stanza of docs/design.md §3, widened to every option: two zones,
// every probe kind, every route kind and every on_all_down form.
const fullExample = `gslb Example.com example.net. {
    geoip {GEOIP}
    ttl 45
    ecs off
    ecs_private ignore
    override overrides.json
    fallthrough status.example.com

    check web {
        https 443 /healthz
        host app.example.com
        expect 200-299 301
        match "ok|ready"
        header X-Probe gslb
        header User-Agent "gslb probe"
        interval 10s
        timeout 3s
        rise 4
        fall 5
        slow 300ms
        tls_skip_verify
        tls_ca {CA}
        tls_cert {CERT} {KEY}
    }
    check plain {
        http 8080 /status
    }
    check port {
        tcp 25
        source 127.0.0.53
    }
    check resolver {
        dns 53 health.example.com aaaa
    }
    check lookup {
        dns 5353 example.org.
    }
    check rpc {
        grpc 9090 grpc.health.v1.Health
        host rpc.example.com
        tls_ca {CA}
    }
    check rpcall {
        grpc 50051
    }

    pool eu {
        member 192.0.2.10 weight 3 probe 127.0.0.1:8080
        member 192.0.2.11 probe 127.0.0.2:8080
        member 2001:db8::10 probe [::1]:8080
        check web plain
        min_healthy 2
        location 50.11 8.68
        weight 2
    }
    pool us {
        member 198.51.100.10 probe 127.0.0.2:8443
        member 198.51.100.11 probe 127.0.0.1:8443
        member 2001:DB8::20 weight 2 probe [::1]:443
        check later
    }
    pool ap {
        member 203.0.113.10 probe 127.0.0.3:25
        check port resolver lookup rpc rpcall
        location -33.87 151.21
    }

    record app {
        policy geo
        pools eu us ap
        route eu continent EU af
        route us continent NA SA
        route eu net 10.1.0.0/16 2001:DB8:1::/48
        route ap country au NZ
        route us subdivision us-ca US-NY
        route ap asn AS64500 as64501 64502
        answers 2
        on_all_down all
    }
    record @ WWW {
        pools eu
    }
    record Shop.Example.COM. {
        policy weighted
        pools eu us
        select hash
        ttl 10
        on_all_down pool ap
    }
    record near {
        policy nearest
        pools eu ap
        on_all_down fallthrough
    }
    record api.example.net. {
        policy failover
        pools us eu
        select random
        on_all_down servfail
    }

    check later {
        tcp 443
    }
}
`

func TestParseFullExample(t *testing.T) {
	f := newFiles(t)
	cfg := mustParse(t, f.expand(fullExample))

	if want := []string{"example.com.", "example.net."}; !reflect.DeepEqual(cfg.Zones, want) {
		t.Errorf("Zones = %q, want %q", cfg.Zones, want)
	}
	if cfg.TTL != 45 {
		t.Errorf("TTL = %d, want 45", cfg.TTL)
	}
	if cfg.ECS || cfg.ECSPrivate {
		t.Errorf("ECS, ECSPrivate = %v, %v, want false, false", cfg.ECS, cfg.ECSPrivate)
	}
	if cfg.GeoIP.Name != f["{GEOIP}"] {
		t.Errorf("GeoIP = %q, want %q", cfg.GeoIP.Name, f["{GEOIP}"])
	}
	if cfg.Override != "overrides.json" {
		t.Errorf("Override = %q, want overrides.json (no root: unchanged)", cfg.Override)
	}
	if want := []string{"status.example.com."}; !reflect.DeepEqual(cfg.Fall.Zones, want) {
		t.Errorf("Fall.Zones = %q, want %q", cfg.Fall.Zones, want)
	}

	defaults := func(name string, kind healthcheck.Kind, port uint16) healthcheck.Check {
		c := healthcheck.NewCheck(name, kind)
		c.Port = port
		return c
	}
	web := defaults("web", healthcheck.HTTPS, 443)
	web.Path, web.Host = "/healthz", "app.example.com"
	web.Expect = []healthcheck.StatusRange{{Low: 200, High: 299}, {Low: 301, High: 301}}
	web.Headers = []healthcheck.Header{{Name: "X-Probe", Value: "gslb"}, {Name: "User-Agent", Value: "gslb probe"}}
	web.Interval, web.Timeout, web.Rise, web.Fall, web.Slow = 10*time.Second, 3*time.Second, 4, 5, 300*time.Millisecond
	web.TLS = healthcheck.TLS{SkipVerify: true, CAFile: f["{CA}"], CertFile: f["{CERT}"], KeyFile: f["{KEY}"]}
	plain := defaults("plain", healthcheck.HTTP, 8080)
	plain.Path = "/status" // no expect line: Expect stays empty, Expected() is 2xx
	resolver := defaults("resolver", healthcheck.DNS, 53)
	resolver.QName, resolver.QType = "health.example.com.", 28 // AAAA
	lookup := defaults("lookup", healthcheck.DNS, 5353)
	lookup.QName, lookup.QType = "example.org.", 1 // A
	rpc := defaults("rpc", healthcheck.GRPC, 9090)
	rpc.Service, rpc.Host, rpc.TLS.CAFile = "grpc.health.v1.Health", "rpc.example.com", f["{CA}"]
	port := defaults("port", healthcheck.TCP, 25)
	port.Source = netip.MustParseAddr("127.0.0.53")
	want := []healthcheck.Check{
		web, plain, port, resolver, lookup, rpc,
		defaults("rpcall", healthcheck.GRPC, 50051), defaults("later", healthcheck.TCP, 443),
	}
	if len(cfg.Checks) != len(want) {
		t.Fatalf("got %d checks, want %d", len(cfg.Checks), len(want))
	}
	if m := cfg.Checks[0].Match; m == nil || m.String() != "ok|ready" {
		t.Errorf("check web: Match = %v, want ok|ready", m)
	}
	for i := range want {
		got := cfg.Checks[i]
		if i == 0 {
			got.Match = nil // compared above
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("check %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}

	addr := netip.MustParseAddr
	wantPools := []policy.Pool{{
		Name: "eu",
		Members: []policy.Member{
			{Addr: addr("192.0.2.10"), Weight: 3, Probe: "127.0.0.1:8080"},
			{Addr: addr("192.0.2.11"), Weight: 1, Probe: "127.0.0.2:8080"},
			{Addr: addr("2001:db8::10"), Weight: 1, Probe: "[::1]:8080"},
		},
		Checks:     []string{"web", "plain"},
		MinHealthy: 2,
		Location:   &policy.Location{Lat: 50.11, Lon: 8.68},
		Weight:     2,
	}, {
		Name: "us",
		Members: []policy.Member{
			{Addr: addr("198.51.100.10"), Weight: 1, Probe: "127.0.0.2:8443"},
			{Addr: addr("198.51.100.11"), Weight: 1, Probe: "127.0.0.1:8443"},
			{Addr: addr("2001:db8::20"), Weight: 2, Probe: "[::1]:443"},
		},
		Checks:     []string{"later"},
		MinHealthy: 1,
		Weight:     1,
	}, {
		Name:       "ap",
		Members:    []policy.Member{{Addr: addr("203.0.113.10"), Weight: 1, Probe: "127.0.0.3:25"}},
		Checks:     []string{"port", "resolver", "lookup", "rpc", "rpcall"},
		MinHealthy: 1,
		Location:   &policy.Location{Lat: -33.87, Lon: 151.21},
		Weight:     1,
	}}
	if !reflect.DeepEqual(cfg.Pools, wantPools) {
		t.Errorf("Pools:\n got %+v\nwant %+v", cfg.Pools, wantPools)
	}

	prefix := netip.MustParsePrefix
	wantRecords := []policy.Record{{
		Names:  []string{"app.example.com.", "app.example.net."},
		Policy: policy.Geo,
		Pools:  []string{"eu", "us", "ap"},
		Routes: []policy.Route{
			{Pool: "eu", Kind: policy.Continent, Values: []string{"EU", "AF"}},
			{Pool: "us", Kind: policy.Continent, Values: []string{"NA", "SA"}},
			{Pool: "eu", Kind: policy.Net, Nets: []netip.Prefix{prefix("10.1.0.0/16"), prefix("2001:db8:1::/48")}},
			{Pool: "ap", Kind: policy.Country, Values: []string{"AU", "NZ"}},
			{Pool: "us", Kind: policy.Subdivision, Values: []string{"US-CA", "US-NY"}},
			{Pool: "ap", Kind: policy.ASN, Values: []string{"64500", "64501", "64502"}},
		},
		Answers:   2,
		OnAllDown: policy.AllMembers,
	}, {
		Names:   []string{"example.com.", "example.net.", "www.example.com.", "www.example.net."},
		Policy:  policy.Failover,
		Pools:   []string{"eu"},
		Answers: 1,
	}, {
		Names:       []string{"shop.example.com."},
		Policy:      policy.Weighted,
		Pools:       []string{"eu", "us"},
		Answers:     1,
		Select:      policy.Hash,
		TTL:         10,
		OnAllDown:   policy.FallbackPool,
		AllDownPool: "ap",
	}, {
		Names:     []string{"near.example.com.", "near.example.net."},
		Policy:    policy.Nearest,
		Pools:     []string{"eu", "ap"},
		Answers:   1,
		OnAllDown: policy.Fallthrough,
	}, {
		Names:     []string{"api.example.net."},
		Policy:    policy.Failover,
		Pools:     []string{"us", "eu"},
		Answers:   1,
		Select:    policy.Random,
		OnAllDown: policy.ServFail,
	}}
	if len(cfg.Records) != len(wantRecords) {
		t.Fatalf("got %d records, want %d", len(cfg.Records), len(wantRecords))
	}
	for i := range wantRecords {
		if !reflect.DeepEqual(cfg.Records[i], wantRecords[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, cfg.Records[i], wantRecords[i])
		}
	}
}

func TestParseValid(t *testing.T) {
	tests := []struct {
		name  string
		input string
		check func(t *testing.T, cfg *Config)
	}{{
		name:  "defaults",
		input: stanza(poolEU + "\nrecord app {\n    pools eu\n}"),
		check: func(t *testing.T, cfg *Config) {
			if cfg.TTL != DefaultTTL || !cfg.ECS || !cfg.ECSPrivate || cfg.GeoIP.Name != "" || cfg.Override != "" || cfg.Fall.Zones != nil {
				t.Errorf("global defaults: %+v", cfg)
			}
			p := cfg.Pools[0]
			if p.MinHealthy != 1 || p.Weight != 1 || p.Location != nil || p.Checks != nil || p.Members[0].Weight != 1 || p.Members[0].Probe != "" {
				t.Errorf("pool defaults: %+v", p)
			}
			r := cfg.Records[0]
			if r.Policy != policy.Failover || r.Answers != 1 || r.Select != policy.Random || r.TTL != 0 || r.OnAllDown != policy.AllMembers || r.Routes != nil {
				t.Errorf("record defaults: %+v", r)
			}
		},
	}, {
		name:  "explicit ecs on and ecs_private use",
		input: stanza("\necs on\necs_private use"),
		check: func(t *testing.T, cfg *Config) {
			if !cfg.ECS || !cfg.ECSPrivate {
				t.Errorf("ECS, ECSPrivate = %v, %v, want true, true", cfg.ECS, cfg.ECSPrivate)
			}
		},
	}, {
		name:  "fallthrough without zones is every zone",
		input: stanza("\nfallthrough"),
		check: func(t *testing.T, cfg *Config) {
			if want := []string{"."}; !reflect.DeepEqual(cfg.Fall.Zones, want) {
				t.Errorf("Fall.Zones = %q, want %q", cfg.Fall.Zones, want)
			}
		},
	}, {
		name:  "check defaults",
		input: stanza("\ncheck t {\n    tcp 443\n}\ncheck h {\n    http 80 /\n}"),
		check: func(t *testing.T, cfg *Config) {
			tcp := healthcheck.NewCheck("t", healthcheck.TCP)
			tcp.Port = 443
			if !reflect.DeepEqual(cfg.Checks[0], tcp) {
				t.Errorf("tcp check = %+v, want %+v", cfg.Checks[0], tcp)
			}
			h := cfg.Checks[1]
			if h.Interval != 5*time.Second || h.Timeout != 2*time.Second || h.Rise != 2 || h.Fall != 3 || h.Slow != 0 {
				t.Errorf("http check timing defaults: %+v", h)
			}
			if want := []healthcheck.StatusRange{{Low: 200, High: 299}}; !reflect.DeepEqual(h.Expected(), want) {
				t.Errorf("http check expects %v, want %v", h.Expected(), want)
			}
		},
	}, {
		name:  "agent check",
		input: stanza("\ncheck a {\n    agent 9999\n    fall 2\n}"),
		check: func(t *testing.T, cfg *Config) {
			want := healthcheck.NewCheck("a", healthcheck.Agent)
			want.Port, want.Fall = 9999, 2
			if !reflect.DeepEqual(cfg.Checks[0], want) {
				t.Errorf("agent check = %+v, want %+v", cfg.Checks[0], want)
			}
		},
	}, {
		name:  "agent_header",
		input: stanza("\ncheck h {\n    http 80 /health\n    agent_header X-Agent\n}"),
		check: func(t *testing.T, cfg *Config) {
			if h := cfg.Checks[0]; h.AgentHeader != "X-Agent" {
				t.Errorf("AgentHeader = %q, want X-Agent", h.AgentHeader)
			}
		},
	}, {
		name:  "timeout just below interval",
		input: stanza("\ncheck t {\n    tcp 443\n    interval 1s\n    timeout 999ms\n}"),
		check: func(t *testing.T, cfg *Config) {
			if c := cfg.Checks[0]; c.Interval != time.Second || c.Timeout != 999*time.Millisecond {
				t.Errorf("interval, timeout = %s, %s", c.Interval, c.Timeout)
			}
		},
	}, {
		name:  "pool and check defined after their use",
		input: stanza("\nrecord app {\n    pools eu\n    on_all_down pool us\n}" + poolUS + "\npool eu {\n    member 192.0.2.10 probe 127.0.0.1:80\n    check web\n}" + checkWeb),
		check: func(t *testing.T, cfg *Config) {
			if len(cfg.Records) != 1 || len(cfg.Pools) != 2 || len(cfg.Checks) != 1 {
				t.Errorf("got %d records, %d pools, %d checks", len(cfg.Records), len(cfg.Pools), len(cfg.Checks))
			}
		},
	}, {
		name:  "IPv4-mapped member is its IPv4 address",
		input: stanza("\npool eu {\n    member ::ffff:192.0.2.10\n}"),
		check: func(t *testing.T, cfg *Config) {
			if got := cfg.Pools[0].Members[0].Addr; got != netip.MustParseAddr("192.0.2.10") {
				t.Errorf("Addr = %s, want 192.0.2.10", got)
			}
		},
	}, {
		name:  "min_healthy equal to the member count",
		input: stanza("\npool eu {\n    member 192.0.2.10\n    member 192.0.2.11\n    min_healthy 2\n}"),
		check: func(t *testing.T, cfg *Config) {
			if got := cfg.Pools[0].MinHealthy; got != 2 {
				t.Errorf("MinHealthy = %d, want 2", got)
			}
		},
	}, {
		name:  "location at the limits",
		input: stanza("\npool eu {\n    member 192.0.2.10\n    location -90 180\n}"),
		check: func(t *testing.T, cfg *Config) {
			if got := *cfg.Pools[0].Location; got != (policy.Location{Lat: -90, Lon: 180}) {
				t.Errorf("Location = %+v", got)
			}
		},
	}, {
		name:  "geo routes by net only need no geoip",
		input: stanza(poolEU + poolUS + "\nrecord app {\n    policy geo\n    pools eu us\n    route us net 198.51.100.0/24 ::/0\n}"),
		check: func(t *testing.T, cfg *Config) {
			want := []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("::/0")}
			if got := cfg.Records[0].Routes[0].Nets; !reflect.DeepEqual(got, want) {
				t.Errorf("Nets = %v, want %v", got, want)
			}
		},
	}, {
		name:  "route before pools in the block",
		input: stanza(poolEU + "\nrecord app {\n    policy geo\n    route eu net 10.0.0.0/8\n    pools eu\n}"),
		check: func(t *testing.T, cfg *Config) {
			if got := cfg.Records[0].Routes[0].Pool; got != "eu" {
				t.Errorf("route pool = %q", got)
			}
		},
	}, {
		name:  "same value routed by different kinds",
		input: stanza(geoipLine + poolEU + "\nrecord app {\n    policy geo\n    pools eu\n    route eu country NA\n    route eu continent NA\n}"),
		check: func(t *testing.T, cfg *Config) {
			if got := len(cfg.Records[0].Routes); got != 2 {
				t.Errorf("got %d routes, want 2", got)
			}
		},
	}, {
		name:  "stanza without a block",
		input: "gslb example.com",
		check: func(t *testing.T, cfg *Config) {
			if len(cfg.Records) != 0 || cfg.Zones[0] != "example.com." {
				t.Errorf("config = %+v", cfg)
			}
		},
	}, {
		name:  "root zone",
		input: "gslb . {" + poolEU + "\nrecord app @ {\n    pools eu\n}\n}",
		check: func(t *testing.T, cfg *Config) {
			if want := []string{"app.", "."}; !reflect.DeepEqual(cfg.Records[0].Names, want) {
				t.Errorf("Names = %q, want %q", cfg.Records[0].Names, want)
			}
		},
	}, {
		name:  "fully qualified name in the longer of two nested zones",
		input: "gslb example.com sub.example.com {" + poolEU + "\nrecord a.sub.example.com. {\n    pools eu\n}\n}",
		check: func(t *testing.T, cfg *Config) {
			if want := []string{"a.sub.example.com."}; !reflect.DeepEqual(cfg.Records[0].Names, want) {
				t.Errorf("Names = %q, want %q", cfg.Records[0].Names, want)
			}
		},
	}, {
		name:  "zone given twice",
		input: "gslb example.com Example.COM. {" + poolEU + "\nrecord app {\n    pools eu\n}\n}",
		check: func(t *testing.T, cfg *Config) {
			if want := []string{"example.com."}; !reflect.DeepEqual(cfg.Zones, want) {
				t.Errorf("Zones = %q, want %q", cfg.Zones, want)
			}
			if want := []string{"app.example.com."}; !reflect.DeepEqual(cfg.Records[0].Names, want) {
				t.Errorf("Names = %q, want %q", cfg.Records[0].Names, want)
			}
		},
	}, {
		name:  "comments and blank lines",
		input: "# GSLB\ngslb example.com { # zones\n\n    ttl 60 # seconds\n\n}\n",
		check: func(t *testing.T, cfg *Config) {
			if cfg.TTL != 60 {
				t.Errorf("TTL = %d, want 60", cfg.TTL)
			}
		},
	}}
	f := newFiles(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := caddy.NewTestController("dns", f.expand(tt.input))
			c.ServerBlockKeys = []string{"example.com.:53"}
			cfg, err := Parse(c)
			if err != nil {
				t.Fatalf("parse: %v\ninput:\n%s", err, tt.input)
			}
			if tt.check != nil {
				tt.check(t, cfg)
			}
		})
	}
}

func TestParseServerBlockZones(t *testing.T) {
	c := caddy.NewTestController("dns", "gslb {"+poolEU+"\nrecord app {\n    pools eu\n}\n}")
	c.ServerBlockKeys = []string{"Example.COM:1053", "example.net."}
	cfg, err := Parse(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"example.com.", "example.net."}; !reflect.DeepEqual(cfg.Zones, want) {
		t.Errorf("Zones = %q, want %q", cfg.Zones, want)
	}
	if want := []string{"app.example.com.", "app.example.net."}; !reflect.DeepEqual(cfg.Records[0].Names, want) {
		t.Errorf("Names = %q, want %q", cfg.Records[0].Names, want)
	}
}

// Relative paths resolve against the server's root; absolute ones do not.
func TestParseRelativeToRoot(t *testing.T) {
	f := newFiles(t)
	c := caddy.NewTestController("dns", f.expand("gslb example.com {\n"+
		"    geoip GeoIP2-City.mmdb\n"+
		"    override override.json\n"+
		"    check c {\n        https 443 /\n        tls_ca ca.pem\n        tls_cert cert.crt {KEY}\n    }\n}"))
	dnsserver.GetConfig(c).Root = f["{DIR}"]
	cfg, err := Parse(c)
	if err != nil {
		t.Fatal(err)
	}
	tls := cfg.Checks[0].TLS
	for _, tt := range []struct{ name, got, want string }{
		{"GeoIP", cfg.GeoIP.Name, f["{GEOIP}"]},
		{"Override", cfg.Override, filepath.Join(f["{DIR}"], "override.json")},
		{"CAFile", tls.CAFile, f["{CA}"]},
		{"CertFile", tls.CertFile, f["{CERT}"]},
		{"KeyFile", tls.KeyFile, f["{KEY}"]},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

// wantLine returns the line of input marked with errMark.
func wantLine(t *testing.T, input string) int {
	t.Helper()
	line := 0
	for i, l := range strings.Split(input, "\n") {
		if strings.Contains(l, errMark) {
			if line != 0 {
				t.Fatalf("two lines marked %q", errMark)
			}
			line = i + 1
		}
	}
	if line == 0 {
		t.Fatalf("no line marked %q in\n%s", errMark, input)
	}
	return line
}

// checkErr asserts that err is a parse error at file:line that contains
// every phrase of want.
func checkErr(t *testing.T, err error, line int, want []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one at %s:%d containing %q", testFile, line, want)
	}
	msg := err.Error()
	if prefix := fmt.Sprintf("%s:%d - Error during parsing: ", testFile, line); !strings.Contains(msg, prefix) {
		t.Errorf("error %q does not start with %q", msg, prefix)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
}

// errorCase is an input with one line marked errMark and the phrases the
// error must contain.
type errorCase struct {
	name  string
	input string
	want  []string
}

// runErrorCases parses each case and checks its error.
func runErrorCases(t *testing.T, tests []errorCase) {
	t.Helper()
	f := newFiles(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := f.expand(tt.input)
			_, err := parseInput(input)
			checkErr(t, err, wantLine(t, input), tt.want)
		})
	}
}

func TestParseGlobalErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		{"unknown option", stanza("\nttl 30\nzone example.org # <-"), []string{`unknown option "zone"`, "expected geoip, ttl, ecs, ecs_private, ecs_trust, override, fallthrough, store, ns, soa, resolver, status, kubernetes, dnssec, check, pool or record"}},
		{"ttl without value", stanza("\nttl # <-"), []string{"ttl: expected 1 argument(s), got 0"}},
		{"ttl with two values", stanza("\nttl 30 60 # <-"), []string{"ttl: expected 1 argument(s), got 2"}},
		{"ttl zero", stanza("\nttl 0 # <-"), []string{`ttl: expected a whole number from 1 to 86400, got "0"`}},
		{"ttl too large", stanza("\nttl 86401 # <-"), []string{`ttl: expected a whole number from 1 to 86400, got "86401"`}},
		{"ttl not a number", stanza("\nttl 30s # <-"), []string{`ttl: expected a whole number from 1 to 86400, got "30s"`}},
		{"ttl twice", stanza("\nttl 30\nttl 60 # <-"), []string{`option "ttl" given twice (first on line 2)`}},
		{"ecs twice", stanza("\necs on\n\necs off # <-"), []string{`option "ecs" given twice (first on line 2)`}},
		{"ecs bad value", stanza("\necs yes # <-"), []string{`ecs: expected on or off, got "yes"`}},
		{"ecs without value", stanza("\necs # <-"), []string{"ecs: expected 1 argument(s), got 0"}},
		{"ecs_private bad value", stanza("\necs_private on # <-"), []string{`ecs_private: expected use or ignore, got "on"`}},
		{"geoip file missing", stanza("\ngeoip {DIR}/missing.mmdb # <-"), []string{"geoip: expected an existing file", "missing.mmdb"}},
		{"geoip is a directory", stanza("\ngeoip {DIR} # <-"), []string{"geoip: expected a file, got the directory"}},
		{"geoip without file", stanza("\ngeoip # <-"), []string{"geoip: expected 1 argument(s), got 0"}},
		{"override with two files", stanza("\noverride a.json b.json # <-"), []string{"override: expected 1 argument(s), got 2"}},
		{"fallthrough bad zone", stanza("\nfallthrough example..org # <-"), []string{`fallthrough: expected zone names, got "example..org"`}},
		{"bad zone argument", "gslb example.com exa..mple # <-\n", []string{`gslb: expected zone names, got "exa..mple"`}},
		{"no zones at all", "gslb { # <-\n}", []string{"gslb: expected zone names here or in the server block"}},
		{"gslb twice", stanza("\nttl 30") + "gslb example.com { # <-\n}", []string{"this plugin can only be used once per Server Block"}},
		{"token after the stanza", stanza("\nttl 30") + "} # <-\nttl 60", []string{`unexpected "}" after the gslb stanza`}},
		{"block after an option", stanza("\nttl 30 { # <-\n    ecs off\n}"), []string{"ttl: unexpected '{': expected no block after this option"}},
		{"brace after option arguments", "gslb example.com {\n    ttl 30 } # <-", []string{`ttl: unexpected "}": expected arguments on this line and the brace on a line of its own`}},
		{"lone opening brace", stanza("\n{ # <-\nttl 30\n}"), []string{"gslb: unexpected '{': expected an option"}},
		{"missing closing brace", "gslb example.com {\n    ttl 30 # <-\n", []string{"gslb: expected '}' to close the block, reached the end of the input"}},
		{"missing closing brace of a block", "gslb example.com {\n    pool eu {\n        member 192.0.2.10 # <-\n", []string{`pool "eu": expected '}' to close the block, reached the end of the input`}},
		{"brace on the next line", "gslb example.com\n{ # <-\n    ttl 30\n}", []string{`unexpected "{" after the gslb stanza`}},
	})
}

func TestParseEmptyInput(t *testing.T) {
	_, err := parseInput("")
	checkErr(t, err, 0, []string{"expected a gslb stanza"})
}

func TestParseCheckErrors(t *testing.T) {
	tcp := func(lines string) string { return stanza("\ncheck c {\n    tcp 443" + lines + "\n}") }
	http := func(lines string) string { return stanza("\ncheck c {\n    http 80 /" + lines + "\n}") }
	runErrorCases(t, []errorCase{
		{"no name", stanza("\ncheck { # <-\n    tcp 443\n}"), []string{"check: expected one NAME, got 0 argument(s)"}},
		{"two names", stanza("\ncheck a b { # <-\n    tcp 443\n}"), []string{"check: expected one NAME, got 2 argument(s)"}},
		{"missing opening brace", stanza("\ncheck c # <-\n    tcp 443\n}"), []string{`check "c": expected '{' at the end of the line to open its block`}},
		{"unknown option", tcp("\n    retries 3 # <-"), []string{`check "c": unknown option "retries": expected http, https, tcp, dns, grpc, agent, promql, host, expect`}},
		{"no probe line", stanza("\ncheck c { # <-\n    interval 5s\n}"), []string{`check "c": expected a probe line: http PORT PATH, https PORT PATH, tcp PORT, dns PORT QNAME [TYPE], grpc PORT [SERVICE], agent PORT or promql URL QUERY`}},
		{"two probe lines", tcp("\n    http 80 / # <-"), []string{`check "c": second probe kind "http": a check has one of http, https, tcp, dns, grpc, agent`}},
		{"same probe line twice", tcp("\n    tcp 443 # <-"), []string{`check "c": second probe kind "tcp"`}},
		{"defined twice", stanza(checkWeb + "\ncheck web { # <-\n    tcp 443\n}"), []string{`check "web" defined twice`}},
		{"option twice", tcp("\n    interval 5s\n    interval 10s # <-"), []string{`check "c": option "interval" given twice (first on line 4)`}},
		{"http path without slash", stanza("\ncheck c {\n    http 80 healthz # <-\n}"), []string{`check "c": expected a PATH starting with '/', got "healthz"`}},
		{"http without path", stanza("\ncheck c {\n    http 80 # <-\n}"), []string{`check "c": expected http PORT PATH`}},
		{"https without port", stanza("\ncheck c {\n    https # <-\n}"), []string{`check "c": expected https PORT PATH`}},
		{"tcp with a path", stanza("\ncheck c {\n    tcp 80 / # <-\n}"), []string{`check "c": expected tcp PORT`}},
		{"dns without qname", stanza("\ncheck c {\n    dns 53 # <-\n}"), []string{`check "c": expected dns PORT QNAME [TYPE]`}},
		{"grpc with three arguments", stanza("\ncheck c {\n    grpc 9090 a b # <-\n}"), []string{`check "c": expected grpc PORT [SERVICE]`}},
		{"agent without port", stanza("\ncheck c {\n    agent # <-\n}"), []string{`check "c": expected agent PORT`}},
		{"agent with a path", stanza("\ncheck c {\n    agent 9999 / # <-\n}"), []string{`check "c": expected agent PORT`}},
		{"expect on agent", stanza("\ncheck c {\n    agent 9999\n    expect 200 # <-\n}"), []string{`check "c": expect applies to http and https checks only, not agent`}},
		{"port zero", stanza("\ncheck c {\n    tcp 0 # <-\n}"), []string{`check "c": expected a port from 1 to 65535, got "0"`}},
		{"port too large", stanza("\ncheck c {\n    https 70000 / # <-\n}"), []string{`check "c": expected a port from 1 to 65535, got "70000"`}},
		{"port not a number", stanza("\ncheck c {\n    tcp https # <-\n}"), []string{`check "c": expected a port from 1 to 65535, got "https"`}},
		{"port negative", stanza("\ncheck c {\n    grpc -1 # <-\n}"), []string{`check "c": expected a port from 1 to 65535, got "-1"`}},
		{"dns bad qname", stanza("\ncheck c {\n    dns 53 a..b # <-\n}"), []string{`check "c": expected a domain name to ask for, got "a..b"`}},
		{"dns bad type", stanza("\ncheck c {\n    dns 53 example.org AAAAA # <-\n}"), []string{`check "c": expected a record type such as A, AAAA, SOA, got "AAAAA"`}},
		{"expect on tcp", tcp("\n    expect 200 # <-"), []string{`check "c": expect applies to http and https checks only, not tcp`}},
		{"match on dns", stanza("\ncheck c {\n    dns 53 example.org\n    match ok # <-\n}"), []string{`check "c": match applies to http and https checks only, not dns`}},
		{"header on grpc", stanza("\ncheck c {\n    header X-A b # <-\n    grpc 9090\n}"), []string{`check "c": header applies to http and https checks only, not grpc`}},
		{"agent_header on agent", stanza("\ncheck c {\n    agent 9999\n    agent_header X-Agent # <-\n}"), []string{`check "c": agent_header applies to http and https checks only, not agent`}},
		{"agent_header without name", http("\n    agent_header # <-"), []string{`check "c": agent_header: expected 1 argument(s), got 0`}},
		{"agent_header with a colon", http("\n    agent_header X-Agent: # <-"), []string{`check "c": agent_header: expected a header name such as X-Agent, got "X-Agent:"`}},
		{"agent_header twice", http("\n    agent_header X-A\n    agent_header X-B # <-"), []string{`check "c": option "agent_header" given twice`}},
		{"host on tcp", tcp("\n    host example.org # <-"), []string{`check "c": host applies to http, https and grpc checks only, not tcp`}},
		{"tls_skip_verify on http", http("\n    tls_skip_verify # <-"), []string{`check "c": tls_skip_verify applies to https and grpc checks only, not http`}},
		{"tls_ca on tcp", tcp("\n    tls_ca {CA} # <-"), []string{`check "c": tls_ca applies to https and grpc checks only, not tcp`}},
		{"tls_cert on dns", stanza("\ncheck c {\n    tls_cert {CERT} {KEY} # <-\n    dns 53 example.org\n}"), []string{`check "c": tls_cert applies to https and grpc checks only, not dns`}},
		{"tls_skip_verify with a value", stanza("\ncheck c {\n    https 443 /\n    tls_skip_verify yes # <-\n}"), []string{`check "c": tls_skip_verify: expected 0 argument(s), got 1`}},
		{"tls_ca missing", stanza("\ncheck c {\n    https 443 /\n    tls_ca {DIR}/none.pem # <-\n}"), []string{`check "c": tls_ca: expected an existing file`}},
		{"tls_cert key missing", stanza("\ncheck c {\n    https 443 /\n    tls_cert {CERT} {DIR}/none.key # <-\n}"), []string{`check "c": tls_cert: expected an existing file`, "none.key"}},
		{"tls_cert without key", stanza("\ncheck c {\n    https 443 /\n    tls_cert {CERT} # <-\n}"), []string{`check "c": tls_cert: expected 2 argument(s), got 1`}},
		{"timeout equal to interval", tcp("\n    interval 2s\n    timeout 2s # <-"), []string{`check "c": timeout 2s must be below interval 2s`}},
		{"timeout above interval", tcp("\n    timeout 10s\n    interval 5s # <-"), []string{`check "c": timeout 10s must be below interval 5s`}},
		{"interval below the default timeout", tcp("\n    interval 1s # <-"), []string{`check "c": timeout 2s must be below interval 1s`}},
		{"interval without unit", tcp("\n    interval 5 # <-"), []string{`check "c": interval: expected a positive duration such as 5s or 300ms, got "5"`}},
		{"negative timeout", tcp("\n    timeout -1s # <-"), []string{`check "c": timeout: expected a positive duration such as 5s or 300ms, got "-1s"`}},
		{"zero slow", tcp("\n    slow 0s # <-"), []string{`check "c": slow: expected a positive duration such as 5s or 300ms, got "0s"`}},
		{"bad duration", tcp("\n    interval five # <-"), []string{`check "c": interval: expected a positive duration`}},
		{"interval without value", tcp("\n    interval # <-"), []string{`check "c": interval: expected 1 argument(s), got 0`}},
		{"rise zero", tcp("\n    rise 0 # <-"), []string{`check "c": rise: expected a whole number from 1 to 100, got "0"`}},
		{"fall zero", tcp("\n    fall 0 # <-"), []string{`check "c": fall: expected a whole number from 1 to 100, got "0"`}},
		{"fall not a number", tcp("\n    fall x # <-"), []string{`check "c": fall: expected a whole number from 1 to 100, got "x"`}},
		{"expect without codes", http("\n    expect # <-"), []string{`check "c": expect: expected status codes such as 200 or 200-299`}},
		{"expect below 100", http("\n    expect 200 99 # <-"), []string{`check "c": expect: expected a status code or range from 100 to 599 such as 200-299, got "99"`}},
		{"expect above 599", http("\n    expect 200-600 # <-"), []string{`got "200-600"`}},
		{"expect reversed range", http("\n    expect 299-200 # <-"), []string{`got "299-200"`}},
		{"expect text", http("\n    expect ok # <-"), []string{`got "ok"`}},
		{"bad regular expression", http("\n    match (ok # <-"), []string{`check "c": match: expected a regular expression`}},
		{"header without value", http("\n    header X-A # <-"), []string{`check "c": header: expected 2 argument(s), got 1`}},
		{"host twice", http("\n    host a.example\n    host b.example # <-"), []string{`check "c": option "host" given twice`}},
		{"nested block", http("\n    host a.example { # <-\n    }"), []string{`check "c": host: unexpected '{'`}},
		{"closing brace after option", "gslb example.com {\n    check c {\n        tcp 443 } # <-\n}", []string{`tcp: unexpected "}"`}},
	})
}

func TestParsePoolErrors(t *testing.T) {
	pool := func(lines string) string { return stanza("\npool eu {\n    member 192.0.2.10" + lines + "\n}") }
	member := func(args string) string { return stanza("\npool eu {\n    member " + args + " # <-\n}") }
	runErrorCases(t, []errorCase{
		{"no name", stanza("\npool { # <-\n    member 192.0.2.10\n}"), []string{"pool: expected one NAME, got 0 argument(s)"}},
		{"two names", stanza("\npool eu us { # <-\n    member 192.0.2.10\n}"), []string{"pool: expected one NAME, got 2 argument(s)"}},
		{"missing opening brace", stanza("\npool eu # <-\n    member 192.0.2.10\n}"), []string{`pool "eu": expected '{' at the end of the line to open its block`}},
		{"defined twice", stanza(poolEU + poolUS + "\npool eu { # <-\n    member 192.0.2.11\n}"), []string{`pool "eu" defined twice`}},
		{"unknown option", pool("\n    members 192.0.2.11 # <-"), []string{`pool "eu": unknown option "members": expected member, check, service, ingress, gateway, cluster, min_healthy, weight, location or slowstart`}},
		{"no members", stanza("\npool eu { # <-\n    weight 2\n}"), []string{`pool "eu": expected at least one member, service, ingress or gateway line`}},
		{"member without address", member(""), []string{`pool "eu": member: expected ADDRESS [weight N] [probe HOST:PORT]`}},
		{"member mistyped address", member("192.0.2.300"), []string{`pool "eu": member: expected an IPv4 or IPv6 address or a host name, got "192.0.2.300"`}},
		{"member CIDR", member("192.0.2.0/24"), []string{`expected an IPv4 or IPv6 address or a host name, got "192.0.2.0/24"`}},
		{"member short IPv4", member("1.2.3"), []string{`expected an IPv4 or IPv6 address or a host name, got "1.2.3"`}},
		{"member IPv6 with zone", member("fe80::1%eth0"), []string{`expected an IPv4 or IPv6 address without a zone, got "fe80::1%eth0"`}},
		{"member with port", member("192.0.2.10:80"), []string{`expected an IPv4 or IPv6 address or a host name, got "192.0.2.10:80"`}},
		{"member wildcard host", member("*.example.net"), []string{`expected an IPv4 or IPv6 address or a host name, got "*.example.net"`}},
		{"member unspecified", member("0.0.0.0"), []string{`pool "eu": member: expected a unicast address, got 0.0.0.0`}},
		{"member IPv6 unspecified", member("::"), []string{`expected a unicast address, got ::`}},
		{"member multicast", member("224.0.0.1"), []string{`expected a unicast address, got 224.0.0.1`}},
		{"member broadcast", member("255.255.255.255"), []string{`expected a unicast address, got 255.255.255.255`}},
		{"member twice", pool("\n    member 192.0.2.11\n    member 192.0.2.10 # <-"), []string{`pool "eu": member 192.0.2.10 listed twice`}},
		{"member twice IPv6 spelling", stanza("\npool eu {\n    member 2001:db8::1\n    member 2001:DB8:0::1 # <-\n}"), []string{`pool "eu": member 2001:db8::1 listed twice`}},
		{"member twice IPv4-mapped", pool("\n    member ::ffff:192.0.2.10 # <-"), []string{`pool "eu": member 192.0.2.10 listed twice`}},
		{"member weight zero", member("192.0.2.10 weight 0"), []string{`pool "eu": member 192.0.2.10: weight: expected a whole number from 1 to 65536, got "0"`}},
		{"member weight negative", member("192.0.2.10 weight -2"), []string{`member 192.0.2.10: weight: expected a whole number from 1 to 65536, got "-2"`}},
		{"member weight not a number", member("192.0.2.10 weight heavy"), []string{`member 192.0.2.10: weight: expected a whole number from 1 to 65536, got "heavy"`}},
		{"member weight without value", member("192.0.2.10 weight"), []string{`pool "eu": member 192.0.2.10: expected a value after "weight"`}},
		{"member weight twice", member("192.0.2.10 weight 2 weight 3"), []string{`pool "eu": member 192.0.2.10: "weight" given twice`}},
		{"member unknown option", member("192.0.2.10 priority 1"), []string{`pool "eu": member 192.0.2.10: unknown option "priority": expected weight or probe`}},
		{"probe without a check", stanza("\npool eu {\n    member 192.0.2.10\n    member 192.0.2.11 probe 127.0.0.1:8443 # <-\n}"), []string{`pool "eu": member probe needs a check line in the pool`}},
		{"probe without port", member("192.0.2.10 probe 127.0.0.1"), []string{`pool "eu": probe: expected HOST:PORT such as 127.0.0.1:8443, got "127.0.0.1"`}},
		{"probe without host", member("192.0.2.10 probe :8443"), []string{`probe: expected HOST:PORT such as 127.0.0.1:8443, got ":8443"`}},
		{"probe port zero", member("192.0.2.10 probe 127.0.0.1:0"), []string{`got "127.0.0.1:0"`}},
		{"probe port text", member("192.0.2.10 probe 127.0.0.1:https"), []string{`got "127.0.0.1:https"`}},
		{"probe port too large", member("192.0.2.10 probe 127.0.0.1:65536"), []string{`got "127.0.0.1:65536"`}},
		{"probe IPv6 without brackets", member("192.0.2.10 probe ::1:443"), []string{`got "::1:443"`}},
		{"pool weight zero", pool("\n    weight 0 # <-"), []string{`pool "eu": weight: expected a whole number from 1 to 65536, got "0"`}},
		{"pool weight negative", pool("\n    weight -1 # <-"), []string{`pool "eu": weight: expected a whole number from 1 to 65536, got "-1"`}},
		{"pool weight not a number", pool("\n    weight 1.5 # <-"), []string{`pool "eu": weight: expected a whole number from 1 to 65536, got "1.5"`}},
		{"pool weight twice", pool("\n    weight 1\n    weight 2 # <-"), []string{`pool "eu": option "weight" given twice (first on line 4)`}},
		{"min_healthy above members", pool("\n    member 192.0.2.11\n    min_healthy 3 # <-"), []string{`pool "eu": min_healthy 3 is more than its 2 member(s)`}},
		{"min_healthy before members", stanza("\npool eu {\n    min_healthy 2 # <-\n    member 192.0.2.10\n}"), []string{`pool "eu": min_healthy 2 is more than its 1 member(s)`}},
		{"min_healthy zero", pool("\n    min_healthy 0 # <-"), []string{`pool "eu": min_healthy: expected a whole number from 1 to 65536, got "0"`}},
		{"unknown check", stanza(checkWeb + "\npool eu {\n    member 192.0.2.10 probe 127.0.0.1:80\n    check web nope # <-\n}"), []string{`pool "eu": unknown check "nope"`}},
		{"check listed twice", stanza(checkWeb + "\npool eu {\n    member 192.0.2.10 probe 127.0.0.1:80\n    check web\n    check web # <-\n}"), []string{`pool "eu": check "web" listed twice`}},
		{"check without names", pool("\n    check # <-"), []string{`pool "eu": check: expected one or more check names`}},
		{"latitude out of range", pool("\n    location 91 0 # <-"), []string{`pool "eu": location: expected LAT LON in degrees (-90..90, -180..180), got "91" "0"`}},
		{"longitude out of range", pool("\n    location 0 -180.5 # <-"), []string{`got "0" "-180.5"`}},
		{"location NaN", pool("\n    location NaN 0 # <-"), []string{`got "NaN" "0"`}},
		{"location infinite", pool("\n    location 0 +Inf # <-"), []string{`got "0" "+Inf"`}},
		{"location text", pool("\n    location north east # <-"), []string{`got "north" "east"`}},
		{"location one value", pool("\n    location 50.11 # <-"), []string{`pool "eu": location: expected 2 argument(s), got 1`}},
	})
}

func TestParseRecordErrors(t *testing.T) {
	eu := func(lines string) string { return stanza(poolEU + "\nrecord app {\n    pools eu" + lines + "\n}") }
	geo := func(route string) string {
		return stanza(geoipLine + poolEU + "\nrecord app {\n    policy geo\n    pools eu\n    route eu " + route + " # <-\n}")
	}
	runErrorCases(t, []errorCase{
		{"no names", stanza(poolEU + "\nrecord { # <-\n    pools eu\n}"), []string{"record: expected one or more NAMEs"}},
		{"missing opening brace", stanza(poolEU + "\nrecord app # <-\n    pools eu\n}"), []string{`record "app": expected '{' at the end of the line to open its block`}},
		{"unknown option", eu("\n    pool eu # <-"), []string{`record "app": unknown option "pool": expected policy, pools, route, answers, select, ttl, on_all_down, flatten, https or svcb`}},
		{"no pools line", stanza(poolEU + "\nrecord app { # <-\n    answers 2\n}"), []string{`record "app": expected a pools line naming the record's pools in priority order`}},
		{"pools without names", eu("\n    answers 1\n}\nrecord www {\n    pools # <-"), []string{`record "www": pools: expected one or more pool names in priority order`}},
		{"pools twice", eu("\n    pools eu # <-"), []string{`record "app": option "pools" given twice (first on line 6)`}},
		{"pool listed twice", stanza(poolEU + "\nrecord app {\n    pools eu eu # <-\n}"), []string{`record "app": pool "eu" listed twice`}},
		{"unknown pool", stanza(poolEU + "\nrecord app {\n    pools eu asia # <-\n}"), []string{`record "app": unknown pool "asia"`}},
		{"policy twice", eu("\n    policy failover\n    policy weighted # <-"), []string{`record "app": option "policy" given twice`}},
		{"unknown policy", eu("\n    policy roundrobin # <-"), []string{`record "app": policy: expected failover or weighted or geo or nearest, got "roundrobin"`}},
		{"answers zero", eu("\n    answers 0 # <-"), []string{`record "app": answers: expected a whole number from 1 to 64, got "0"`}},
		{"answers too many", eu("\n    answers 65 # <-"), []string{`got "65"`}},
		{"unknown select", eu("\n    select first # <-"), []string{`record "app": select: expected random or hash, got "first"`}},
		{"ttl zero", eu("\n    ttl 0 # <-"), []string{`record "app": ttl: expected a whole number from 1 to 86400, got "0"`}},
		{"ttl twice", eu("\n    ttl 10\n    ttl 20 # <-"), []string{`record "app": option "ttl" given twice`}},
		{"on_all_down unknown pool", eu("\n    on_all_down pool backup # <-"), []string{`record "app": on_all_down: unknown pool "backup"`}},
		{"on_all_down bad value", eu("\n    on_all_down sometimes # <-"), []string{`record "app": on_all_down: expected all, pool NAME, fallthrough or servfail, got "sometimes"`}},
		{"on_all_down pool without name", eu("\n    on_all_down pool # <-"), []string{`expected all, pool NAME, fallthrough or servfail, got "pool"`}},
		{"on_all_down without value", eu("\n    on_all_down # <-"), []string{`expected all, pool NAME, fallthrough or servfail, got ""`}},
		{"on_all_down two modes", eu("\n    on_all_down all servfail # <-"), []string{`got "all servfail"`}},
		{"name outside the zones", stanza(poolEU + "\nrecord app.example.org. { # <-\n    pools eu\n}"), []string{`record "app.example.org.": not in the plugin's zones example.com.`}},
		{"name is a parent of the zone", stanza(poolEU + "\nrecord com. { # <-\n    pools eu\n}"), []string{`record "com.": not in the plugin's zones`}},
		{"wildcard inside", stanza(poolEU + "\nrecord a.*.app { # <-\n    pools eu\n}"), []string{`record "a.*.app": a wildcard is * as the whole first label`}},
		{"wildcard in a label", stanza(poolEU + "\nrecord *x.app { # <-\n    pools eu\n}"), []string{`record "*x.app": a wildcard is * as the whole first label`}},
		{"bad name", stanza(poolEU + "\nrecord a..b { # <-\n    pools eu\n}"), []string{`record "a..b.example.com.": expected a domain name`}},
		{"name listed twice", stanza(poolEU + "\nrecord app App { # <-\n    pools eu\n}"), []string{`record "app.example.com.": name listed twice`}},
		{"relative and qualified name twice", stanza(poolEU + "\nrecord app app.example.com. { # <-\n    pools eu\n}"), []string{`record "app.example.com.": name listed twice`}},
		{"record defined twice", eu("\n}\nrecord www app.example.com. { # <-\n    pools eu"), []string{`record "app.example.com." defined twice`}},
		{"apex defined twice", stanza(poolEU + "\nrecord @ {\n    pools eu\n}\nrecord example.com. { # <-\n    pools eu\n}"), []string{`record "example.com." defined twice`}},
		{"route to a pool the record does not list", stanza(geoipLine + poolEU + poolUS + "\nrecord app {\n    policy geo\n    pools eu\n    route us country DE # <-\n}"), []string{`record "app": route to pool "us", which is not in the record's pools: expected one of eu`}},
		{"route without policy", stanza(poolEU + "\nrecord app {\n    pools eu\n    route eu net 10.0.0.0/8 # <-\n}"), []string{`record "app": route lines need policy geo: expected a policy geo line`}},
		{"route with policy failover", stanza(poolEU + "\nrecord app {\n    policy failover # <-\n    pools eu\n    route eu net 10.0.0.0/8\n}"), []string{`record "app": route lines need policy geo, not failover`}},
		{"route with policy nearest", stanza(geoipLine + poolEU + "\nrecord app {\n    pools eu\n    route eu net 10.0.0.0/8\n    policy nearest # <-\n}"), []string{`record "app": route lines need policy geo, not nearest`}},
		{"route unknown kind", geo("city Berlin"), []string{`record "app": route: unknown KIND "city": expected net, country, continent, subdivision or asn`}},
		{"route without values", geo("country"), []string{`record "app": route: expected POOL KIND VALUES... with KIND net, country, continent, subdivision or asn`}},
		{"route net without length", geo("net 10.1.0.0"), []string{`record "app": route net: expected a CIDR prefix such as 10.1.0.0/16, got "10.1.0.0"`}},
		{"route net length too long", geo("net 10.1.0.0/33"), []string{`expected a CIDR prefix such as 10.1.0.0/16, got "10.1.0.0/33"`}},
		{"route net hostname", geo("net example.com/8"), []string{`expected a CIDR prefix such as 10.1.0.0/16, got "example.com/8"`}},
		{"route net host bits set", geo("net 10.1.2.3/16"), []string{`record "app": route net: "10.1.2.3/16" has bits set beyond its prefix length: expected 10.1.0.0/16`}},
		{"route net IPv6 host bits set", geo("net 2001:db8::1/32"), []string{`"2001:db8::1/32" has bits set beyond its prefix length: expected 2001:db8::/32`}},
		{"route net IPv4-mapped", geo("net ::ffff:10.0.0.0/104"), []string{`record "app": route net: "::ffff:10.0.0.0/104" is IPv4-mapped: write the IPv4 prefix`}},
		{"route net given twice", geo("net 10.0.0.0/8 10.0.0.0/8"), []string{`record "app": route net 10.0.0.0/8 given twice (pools "eu" and "eu")`}},
		{"route country three letters", geo("country DEU"), []string{`record "app": route country: expected an ISO 3166-1 alpha-2 code such as DE, got "DEU"`}},
		{"route country one letter", geo("country D"), []string{`got "D"`}},
		{"route country digit", geo("country D1"), []string{`got "D1"`}},
		{"route country non-ASCII", geo("country Dé"), []string{`got "Dé"`}},
		{"route continent unknown", geo("continent EA"), []string{`record "app": route continent: expected one of AF AN AS EU NA OC SA, got "EA"`}},
		{"route subdivision without country", geo("subdivision CA"), []string{`record "app": route subdivision: expected an ISO 3166-2 code such as US-CA, got "CA"`}},
		{"route subdivision without dash", geo("subdivision USCA"), []string{`got "USCA"`}},
		{"route subdivision empty part", geo("subdivision US-"), []string{`got "US-"`}},
		{"route subdivision long part", geo("subdivision US-CALI"), []string{`got "US-CALI"`}},
		{"route subdivision digit in country", geo("subdivision U1-CA"), []string{`got "U1-CA"`}},
		{"route subdivision punctuation", geo("subdivision US-C!"), []string{`got "US-C!"`}},
		{"route asn text", geo("asn ASX"), []string{`record "app": route asn: expected an AS number such as 64500 or AS64500, got "ASX"`}},
		{"route asn prefix only", geo("asn AS"), []string{`got "AS"`}},
		{"route asn too large", geo("asn 4294967296"), []string{`got "4294967296"`}},
		{"route asn negative", geo("asn -1"), []string{`got "-1"`}},
		{"route asn given twice", stanza(geoipLine + poolEU + poolUS + "\nrecord app {\n    policy geo\n    pools eu us\n    route eu asn 64500\n    route us asn AS64500 # <-\n}"), []string{`record "app": route asn 64500 given twice (pools "eu" and "us")`}},
		{"route country given twice", stanza(geoipLine + poolEU + "\nrecord app {\n    policy geo\n    pools eu\n    route eu country de DE # <-\n}"), []string{`route country DE given twice`}},
		{"route country without geoip", stanza(poolEU + "\nrecord app {\n    policy geo\n    pools eu\n    route eu net 10.0.0.0/8\n    route eu country DE # <-\n}"), []string{`record "app": policy nearest and routes other than net need a geoip database: expected a geoip FILE line`}},
		{"route continent without geoip", stanza(poolEU + "\nrecord app {\n    policy geo\n    pools eu\n    route eu continent EU # <-\n}"), []string{"need a geoip database: expected a geoip FILE line"}},
		{"route asn without geoip", stanza(poolEU + "\nrecord app {\n    policy geo\n    pools eu\n    route eu asn 64500 # <-\n}"), []string{"need a geoip database: expected a geoip FILE line"}},
		{"route subdivision without geoip", stanza(poolEU + "\nrecord app {\n    policy geo\n    pools eu\n    route eu subdivision US-CA # <-\n}"), []string{"need a geoip database: expected a geoip FILE line"}},
		{"policy nearest without geoip", stanza("\npool eu {\n    member 192.0.2.10\n    location 50 8\n}\nrecord app {\n    pools eu\n    policy nearest # <-\n}"), []string{`record "app": policy nearest and routes other than net need a geoip database`}},
		{"policy nearest with a pool without location", stanza(geoipLine + "\npool eu {\n    member 192.0.2.10\n    location 50 8\n}" + poolUS + "\nrecord app {\n    policy nearest\n    pools eu us # <-\n}"), []string{`record "app": policy nearest needs a location line in pool "us"`}},
		{"pool defined later without location", stanza(geoipLine + "\nrecord app {\n    policy nearest\n    pools us # <-\n}" + poolUS), []string{`policy nearest needs a location line in pool "us"`}},
		{"route brace", "gslb example.com {" + poolEU + "\n    record app {\n        pools eu }  # <-\n}", []string{`pools: unexpected "}"`}},
	})
}
