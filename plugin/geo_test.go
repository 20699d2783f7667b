package plugin

import (
	"github.com/gslb/gslb/config"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/geoiptest"
	"github.com/gslb/gslb/policy"
)

// geoConfig routes EU clients to eu and 10.1/16 to us, inside 10/8 → eu.
func geoConfig(t testing.TB) *config.Config {
	path := filepath.Join(t.TempDir(), "city.mmdb")
	geoiptest.Write(t, path, "GeoIP2-City", []geoiptest.Entry{
		{Network: "192.0.2.0/24", Continent: "EU", Country: "DE"},
		{Network: "198.51.100.0/24", Continent: "NA", Country: "US"},
	})
	cfg := testConfig()
	cfg.GeoIP = config.Path{Name: path}
	cfg.Records = append(cfg.Records, policy.Record{
		Names: []string{"geo.gslb.test."}, Policy: policy.Geo, Pools: []string{"us", "eu"}, Answers: 1,
		Routes: []policy.Route{
			{Pool: "eu", Kind: policy.Continent, Values: []string{"EU"}},
			{Pool: "eu", Kind: policy.Net, Nets: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}},
			{Pool: "us", Kind: policy.Net, Nets: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}},
		},
	})
	return cfg
}

func TestGeoAnswersByClientSubnet(t *testing.T) {
	g := newTestGSLB(t, geoConfig(t))
	tests := []struct {
		subnet string
		want   string
		scope  int
	}{
		{"192.0.2.0/24", "192.0.2.10", 24},       // EU by GeoIP → eu
		{"198.51.100.0/24", "198.51.100.10", 24}, // NA: no route → listed order, us
		{"10.2.3.0/24", "192.0.2.10", 15},        // 10/8 → eu, scope excludes 10.1/16
		{"10.1.3.0/24", "198.51.100.10", 16},     // 10.1/16 → us
	}
	for _, tc := range tests {
		p := netip.MustParsePrefix(tc.subnet)
		m := serveECS(t, g, &test.ResponseWriter{}, "geo.gslb.test.", dns.TypeA, subnet(1, p.Addr().String(), uint8(p.Bits())))
		if len(m.Answer) != 1 || m.Answer[0].(*dns.A).A.String() != tc.want {
			t.Errorf("%s: answer %v, want %s", tc.subnet, m.Answer, tc.want)
			continue
		}
		if scope := int(echoOf(t, m).SourceScope); scope != tc.scope {
			t.Errorf("%s: scope %d, want %d", tc.subnet, scope, tc.scope)
		}
	}
}
