package plugin

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/geoiptest"
	"github.com/gslb/gslb/plugin/internal/status"
)

func TestExplainByCountryAndASN(t *testing.T) {
	db := filepath.Join(t.TempDir(), "city.mmdb")
	geoiptest.Write(t, db, "GeoIP2-City", []geoiptest.Entry{
		{Network: "192.0.2.0/24", Continent: "EU", Country: "DE", ASN: 64500},
		{Network: "198.51.100.0/24", Continent: "NA", Country: "US", ASN: 64501},
	})
	g := parsedGSLB(t, `gslb gslb.test {
    geoip `+db+`
    pool eu {
        member 192.0.2.10
    }
    pool us {
        member 198.51.100.10
    }
    record app {
        policy geo
        route us country US
        pools eu us
    }
}`)
	for _, tc := range []struct {
		q    status.Query
		pool string
	}{
		{status.Query{Name: "app.gslb.test.", Type: dns.TypeA, Country: "US", Resolver: "127.0.0.1"}, "us"},
		{status.Query{Name: "app.gslb.test.", Type: dns.TypeA, Country: "DE", Resolver: "127.0.0.1"}, "eu"},
		{status.Query{Name: "app.gslb.test.", Type: dns.TypeA, ASN: 64501, Resolver: "127.0.0.1"}, "us"},
	} {
		e, err := g.Explain(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if e.Answer.Pool != tc.pool || e.Client.Source != "ecs" || (tc.pool == "us") != strings.Contains(e.Matched, "country US → us") {
			t.Errorf("%+v: client %+v, matched %q, answer %+v, want pool %s", tc.q, e.Client, e.Matched, e.Answer, tc.pool)
		}
	}
	if _, err := g.Explain(status.Query{Name: "app.gslb.test.", Type: dns.TypeA, Country: "FR"}); err == nil || !strings.Contains(err.Error(), "places no network in FR") {
		t.Errorf("a country the database does not have: %v", err)
	}
	plain := newTestGSLB(t, testConfig())
	if _, err := plain.Explain(status.Query{Name: "app.gslb.test.", Type: dns.TypeA, ASN: 1}); err == nil || !strings.Contains(err.Error(), "no geoip database") {
		t.Errorf("without a database: %v", err)
	}
}

// Explaining moves no counter: an operator's questions are not traffic.
func TestExplainCountsNothing(t *testing.T) {
	g := newTestGSLB(t, testConfig())
	before := g.stats.Queries(0)
	if _, err := g.Explain(status.Query{Name: "app.gslb.test.", Type: dns.TypeA, Client: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	if after := g.stats.Queries(0); after != before {
		t.Errorf("queries counted %d → %d by an explain", before, after)
	}
	serve(t, g, "app.gslb.test.", dns.TypeA)
	if after := g.stats.Queries(0); after != before+1 {
		t.Errorf("queries counted %d → %d by a query: the test's counter reads nothing", before, after)
	}
}
