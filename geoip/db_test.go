package geoip

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	clog "github.com/coredns/coredns/plugin/pkg/log"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/internal/geoiptest"
	"github.com/gslb/gslb/internal/poll"
)

func init() { clog.Discard() }

func cityEntries() []geoiptest.Entry {
	return []geoiptest.Entry{
		{Network: "192.0.2.0/24", Continent: "EU", Country: "DE", Subdivision: "HE", ASN: 64500, Location: &[2]float64{50.11, 8.68}},
		{Network: "198.51.100.0/25", Continent: "NA", Country: "US", Subdivision: "CA"},
		{Network: "2001:db8:1::/48", Continent: "AS", Country: "SG", Location: &[2]float64{1.35, 103.82}},
	}
}

func TestLookupCity(t *testing.T) {
	path := filepath.Join(t.TempDir(), "city.mmdb")
	geoiptest.Write(t, path, "GeoIP2-City", cityEntries())
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	got := db.Lookup(netip.MustParseAddr("192.0.2.77"))
	if !got.Found || got.Continent != "EU" || got.Country != "DE" || got.Subdivision != "DE-HE" || got.ASN != 64500 ||
		!got.HasLocation || got.Lat != 50.11 || got.Lon != 8.68 || got.Bits != 24 {
		t.Errorf("192.0.2.77: %+v", got)
	}
	if got := db.Lookup(netip.MustParseAddr("198.51.100.0")); got.Country != "US" || got.Subdivision != "US-CA" || got.HasLocation || got.Bits != 25 {
		t.Errorf("198.51.100.0: %+v", got)
	}
	if got := db.Lookup(netip.MustParseAddr("2001:db8:1:2::")); got.Country != "SG" || got.Bits != 48 {
		t.Errorf("2001:db8:1:2::: %+v", got)
	}
	// Not found: the network that holds no data still bounds the scope.
	got = db.Lookup(netip.MustParseAddr("198.51.100.200"))
	if got.Found || got.Bits != 25 {
		t.Errorf("198.51.100.200: %+v, want not found with the /25 that holds no data", got)
	}
}

func TestLookupASNDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "asn.mmdb")
	geoiptest.WriteASN(t, path, map[string]uint32{"203.0.113.0/24": 64511})
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Lookup(netip.MustParseAddr("203.0.113.9")); !got.Found || got.ASN != 64511 || got.Country != "" {
		t.Errorf("%+v, want ASN 64511", got)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.mmdb")
	os.WriteFile(corrupt, []byte("this is not a database"), 0o644)
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.mmdb"), "no such file"},
		{corrupt, "not a MaxMind database"},
	} {
		_, err := Open(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%s): %v, want an error naming the file and %q", tc.path, err, tc.want)
		}
	}
}

func TestWatchReloadsChangedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "city.mmdb")
	geoiptest.Write(t, path, "GeoIP2-City", cityEntries())
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Watch(10 * time.Millisecond)
	defer db.Stop()
	addr := netip.MustParseAddr("192.0.2.1")

	// A corrupt file replaces it: the loaded database stays.
	tmp := filepath.Join(dir, "next.mmdb")
	os.WriteFile(tmp, []byte("garbage"), 0o644)
	os.Rename(tmp, path)
	time.Sleep(50 * time.Millisecond) // several polls
	if got := db.Lookup(addr); got.Country != "DE" {
		t.Fatalf("after a corrupt update: %+v, want the loaded database kept", got)
	}

	// A ConfigMap-style swap: a new file renamed over the old path.
	geoiptest.Write(t, tmp, "GeoIP2-City", []geoiptest.Entry{{Network: "192.0.2.0/24", Continent: "EU", Country: "FR"}})
	os.Rename(tmp, path)
	deadline := time.Now().Add(2 * time.Second)
	for db.Lookup(addr).Country != "FR" {
		if time.Now().After(deadline) {
			t.Fatalf("still %+v 2s after the file changed", db.Lookup(addr))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A rejected database is logged and counted once however many polls find
// it; a touch keeps it the same, a new content is reported again.
func TestWatchReportsRejectedFileOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "city.mmdb")
	geoiptest.Write(t, path, "GeoIP2-City", cityEntries())
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Watch(2 * time.Millisecond)
	defer db.Stop()
	before := testutil.ToFloat64(reloads.WithLabelValues("error"))
	errors := func() float64 { return testutil.ToFloat64(reloads.WithLabelValues("error")) - before }
	replace := func(content string) {
		tmp := filepath.Join(dir, "next.mmdb")
		os.WriteFile(tmp, []byte(content), 0o644)
		os.Rename(tmp, path)
	}
	settle := func(what string, want float64) {
		t.Helper()
		poll.Until(t, what, 10*time.Second, func() bool { return errors() >= want })
		time.Sleep(100 * time.Millisecond) // dozens of polls
		if got := errors(); got != want {
			t.Fatalf("%s: %v errors counted, want %v", what, got, want)
		}
	}
	replace("garbage")
	settle("a corrupt file", 1)
	os.Chtimes(path, time.Now(), time.Now().Add(time.Hour))
	settle("the corrupt file touched", 1)
	replace("other garbage")
	settle("another corrupt file", 2)
	if got := db.Lookup(netip.MustParseAddr("192.0.2.1")); got.Country != "DE" {
		t.Fatalf("%+v, want the loaded database kept", got)
	}
}

func TestMetricsLint(t *testing.T) {
	reloads.WithLabelValues("success").Add(0)
	problems, err := testutil.CollectAndLint(reloads)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}
