package config

import (
	"os"
	"path/filepath"
	"testing"
)

// The dnssec block names key files by their base, with or without .key or
// .private, relative to the server's root like every path; both files
// must exist.
func TestParseDNSSEC(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"Kgslb.test.+013+00001.key", "Kgslb.test.+013+00001.private", "Kgslb.test.+015+00002.key", "Kgslb.test.+015+00002.private"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	a, b := filepath.Join(dir, "Kgslb.test.+013+00001"), filepath.Join(dir, "Kgslb.test.+015+00002")
	cfg := mustParse(t, stanza("\ndnssec {\n    key file "+a+" "+b+".key\n}"+poolEU+"\nrecord app {\n    pools eu\n}"))
	if cfg.DNSSEC == nil || len(cfg.DNSSEC.Keys) != 2 || cfg.DNSSEC.Keys[0].Name != a || cfg.DNSSEC.Keys[1].Name != b || cfg.DNSSEC.Keys[1].Line != 3 {
		t.Fatalf("keys %+v", cfg.DNSSEC)
	}
	record := poolEU + "\nrecord app {\n    pools eu\n}"
	runErrorCases(t, []errorCase{
		{"no key", stanza("\ndnssec { # <-\n}" + record), []string{"dnssec: expected a key file line"}},
		{"no block", stanza("\ndnssec # <-" + record), []string{"dnssec: expected '{' and key lines"}},
		{"not file", stanza("\ndnssec {\n    key aws secret # <-\n}" + record), []string{"dnssec: key: expected file KEYFILE..."}},
		{"missing", stanza("\ndnssec {\n    key file " + dir + "/Kmissing # <-\n}" + record), []string{"dnssec: key: expected an existing file", "Kmissing.key"}},
		{"unknown option", stanza("\ndnssec {\n    cache_capacity 10 # <-\n}" + record), []string{`dnssec: unknown option "cache_capacity": expected key`}},
		{"twice", stanza("\ndnssec {\n    key file " + a + "\n}\ndnssec { # <-\n    key file " + a + "\n}" + record), []string{`option "dnssec" given twice`}},
	})
}
