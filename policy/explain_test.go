package policy

import (
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	table := compile(t, geoPools(), geoRecord(), overrides{down: map[string]bool{"us/198.51.100.10": true}, drained: map[string]bool{"ap/203.0.113.10": true}})
	got := table.Explain(0, IPv4, geoClient("10.1.7.0", 24, GeoInfo{Found: true, Continent: "EU", Country: "GB", Bits: 16}))
	for _, want := range []string{
		"policy geo",
		"net (scope /16) → us", "country GB → us", "continent EU → eu",
		"pools in order: us (0 of 1 members up, min_healthy 1) eu (eligible) ap (drained)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain: %q\nlacks %q", got, want)
		}
	}
	if got := table.Explain(0, IPv6, geoClient("192.0.2.0", 24, GeoInfo{})); !strings.Contains(got, "us (no IPv6 members)") || !strings.Contains(got, "matched: no route") {
		t.Errorf("Explain IPv6: %q", got)
	}
}
