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

// The why-log names the members a signal lowers, by how much and why, and
// each weighted pool's share as it is now.
func TestExplainSignals(t *testing.T) {
	pools := []Pool{
		testPool("blue", 2, member("192.0.2.10", 1), member("192.0.2.11", 1)),
		testPool("green", 1, member("198.51.100.10", 1)),
	}
	h := healthOf(pools, AllUp{})
	st := h.Member(0, 0)
	st.Factor = 0.5
	st.Signals.Set(SignalErrors, 0.5)
	table, err := Compile(pools, []Record{{Names: []string{"app."}, Policy: Weighted, Pools: []string{"blue", "green"}, Answers: 1}}, h)
	if err != nil {
		t.Fatal(err)
	}
	got := table.Explain(0, IPv4, client("127.0.0.1"))
	for _, want := range []string{"blue weight 2 share 1.50 (eligible, degraded: 192.0.2.10 ×0.50 (errors 0.50))", "green weight 1 share 1.00 (eligible)"} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain: %q\nlacks %q", got, want)
		}
	}
}
