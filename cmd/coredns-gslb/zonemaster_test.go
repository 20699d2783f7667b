package main

import (
	"slices"
	"testing"

	"github.com/gslb/gslb/internal/zonemastertest"
)

// Zonemaster, run undelegated against two gslb instances configured as
// ns1 and ns2, reports no problem that is the zone's: the SOA, the NS set
// with its glue, the name servers' answers over UDP and TCP, with and
// without EDNS, all pass. docs/zonemaster.md says how the harness runs it
// and which messages it sets aside as the test environment's.
func TestZonemasterGSLB(t *testing.T) {
	addrs := zonemastertest.Addrs(t, 2)
	for i, a := range addrs {
		startAt(t, gslbCorefile(addrs, i), a)
	}
	zonemastertest.Check(t, zmZone, zmNS(addrs))
}

// The same run against CoreDNS's file plugin serving the same zone from a
// zone file: a known-good authoritative server passes the harness, so a
// failure of TestZonemasterGSLB is gslb's, not the harness's.
func TestZonemasterReference(t *testing.T) {
	addrs := zonemastertest.Addrs(t, 2)
	path := referenceZone(t, addrs, 2026120101)
	for _, a := range addrs {
		startAt(t, fileCorefile(path, a), a)
	}
	zonemastertest.Check(t, zmZone, zmNS(addrs))
}

// A broken zone fails the harness: what it sets aside as the
// environment's does not hide the zone's own problems.
func TestZonemasterCatchesBrokenZone(t *testing.T) {
	t.Run("ns2 serves another serial", func(t *testing.T) {
		addrs := zonemastertest.Addrs(t, 2)
		startAt(t, fileCorefile(referenceZone(t, addrs, 2026120101), addrs[0]), addrs[0])
		startAt(t, fileCorefile(referenceZone(t, addrs, 2026120102), addrs[1]), addrs[1])
		wantProblems(t, zonemastertest.Run(t, zmZone, zmNS(addrs)), "MULTIPLE_SOA_SERIALS")
	})
	t.Run("one name server", func(t *testing.T) {
		addrs := zonemastertest.Addrs(t, 1)
		startAt(t, fileCorefile(referenceZone(t, addrs, 2026120101), addrs[0]), addrs[0])
		wantProblems(t, zonemastertest.Run(t, zmZone, zmNS(addrs)), "NOT_ENOUGH_NS_CHILD", "NOT_ENOUGH_NS_DEL")
	})
}

// wantProblems fails t unless each tag is among the run's problems.
func wantProblems(t *testing.T, r *zonemastertest.Result, tags ...string) {
	t.Helper()
	var got []string
	for _, m := range r.Problems {
		got = append(got, m.Tag)
	}
	for _, tag := range tags {
		if !slices.Contains(got, tag) {
			t.Errorf("problems %v lack %s\n%s", got, tag, r.Output)
		}
	}
}
