package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gslb/gslb/internal/geoiptest"
)

// gslbBlock is a server block for gslb.test with the lines before and then
// the stanza.
func gslbBlock(before, stanza string) string {
	return "gslb.test:1053 {\n" + before + stanza + "}\n"
}

// TestCheckRejects: a Corefile that would not start exits 1 with one
// line, its file:line first. The lines are those the Corefiles are written
// with: block keys at 1, the block's lines from 2.
func TestCheckRejects(t *testing.T) {
	geo := "        geoip GeoLite2-City.mmdb\n"
	tests := []struct {
		name, corefile string
		files          map[string]string
		pos, want      string
	}{
		{"unknown gslb option", gslbBlock("", stanza("        bogus 1", "failover", "", "")),
			nil, "Corefile:3", `plugin/gslb: Error during parsing: unknown option "bogus"`},
		{"record naming an unknown pool", gslbBlock("", strings.Replace(stanza("", "failover", "", ""), "pools eu", "pools eu us", 1)),
			nil, "Corefile:10", `record "app": unknown pool "us"`},
		{"unknown directive outside gslb", gslbBlock("    frobnicate\n", stanza("", "failover", "", "")),
			nil, "Corefile:2", "Unknown directive 'frobnicate'"},
		// cache's message has no position: the check gives its line.
		{"bad argument of another plugin", "gslb.test:1053 {\n    cache -5\n}\n",
			nil, "Corefile:2", "plugin/cache: cache TTL can not be zero or negative"},
		{"forward without an upstream", ".:1053 {\n    forward .\n}\n",
			nil, "Corefile:2", "Wrong argument count"},
		{"zone file missing, reload 0", "example.org:1053 {\n    file db.example.org {\n        reload 0\n    }\n}\n",
			nil, "Corefile:2", "plugin/file: open db.example.org: no such file"},
		{"zone file that does not parse", "example.org:1053 {\n    file db.example.org\n}\n",
			map[string]string{"db.example.org": "@ 3600 IN SOA garbage\n"}, "Corefile:2", "bad SOA"},
		{"GeoIP database missing", gslbBlock("", stanza(geo, "geo", "", "")),
			nil, "Corefile:3", "geoip: expected an existing file"},
		{"GeoIP database corrupt", gslbBlock("", stanza(geo, "geo", "", "")),
			map[string]string{"GeoLite2-City.mmdb": "not a database"}, "Corefile:3", "geoip: expected a MaxMind database"},
		{"a zone served twice", "example.org:1053 {\n    whoami\n}\nexample.org:1053 {\n    whoami\n}\n",
			nil, "Corefile:4", "cannot serve dns://example.org.:1053 - it is already defined"},
		{"a key's port out of range", "example.org:1053 {\n    whoami\n}\nexample.net:99999 {\n    whoami\n}\n",
			nil, "Corefile:4", "invalid port"},
		{"unclosed block", "example.org:1053 {\n    whoami\n",
			nil, "Corefile:2", "Syntax error"},
		{"error in an imported stanza", "gslb.test:1053 {\n    import gslb.conf\n}\n",
			map[string]string{"gslb.conf": stanza("", "failover", "", "            answers zero")},
			"gslb.conf:10", `plugin/gslb: Error during parsing: `},
		// CoreDNS stops at the first error in its order of plugins
		// (plugin.cfg), not the file's: gslb runs before cache, so the
		// bad cache line above the stanza goes unreported.
		{"two errors: the first in plugin order only", gslbBlock("    cache -5\n", stanza("        bogus 1", "failover", "", "")),
			nil, "Corefile:4", `unknown option "bogus"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runChecker(t, tc.corefile, tc.files)
			lines := r.errorLines()
			// An import is read from the Corefile's directory, and named so.
			pos, msg, _ := strings.Cut(strings.Join(lines, "\n"), " - ")
			if r.code != checkFail || len(lines) != 1 || (pos != tc.pos && !strings.HasSuffix(pos, "/"+tc.pos)) || !strings.Contains(msg, tc.want) {
				t.Fatalf("exit %d, errors %q; want exit 1 and one line %q ... %q\nCorefile:\n%s", r.code, lines, tc.pos+" - ", tc.want, tc.corefile)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing on an error", r.stdout)
			}
		})
	}
}

// TestCheckAccepts: a Corefile that would start exits 0 with one ok line,
// warnings (gslb's, file's) printed but not failing it; the GeoIP
// database and the zone file are read.
func TestCheckAccepts(t *testing.T) {
	dir := t.TempDir()
	geoiptest.Write(t, filepath.Join(dir, "GeoLite2-City.mmdb"), "GeoIP2-City", []geoiptest.Entry{{Network: "10.0.0.0/8", Continent: "EU"}})
	db, err := os.ReadFile(filepath.Join(dir, "GeoLite2-City.mmdb"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"GeoLite2-City.mmdb": string(db), "db.example.org": fmt.Sprintf(zoneFile, "example.org")}
	tests := []struct {
		name, corefile string
		warning        string // in stderr, "" for none
	}{
		{"gslb with GeoIP, file, cache and prometheus",
			gslbBlock("    prometheus 127.0.0.1:9153\n    cache 30\n", stanza("        geoip GeoLite2-City.mmdb", "geo", "", "")) +
				"example.org:1053 {\n    file db.example.org\n}\n", ""},
		{"a gslb warning", gslbBlock("", strings.Replace(stanza("", "failover", "", ""), "        record app", "        pool spare {\n            member 192.0.2.20\n        }\n        record app", 1)),
			`Corefile:8 - pool "spare": no record answers from it`},
		// As a start: with a reload interval file retries, and serves
		// SERVFAIL until the file is there.
		{"zone file missing, file retries", "example.org:1053 {\n    file missing.db\n}\n", "[WARNING] plugin/file: Failed to open"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runChecker(t, tc.corefile, files)
			if r.code != checkOK || r.stdout != "Corefile: ok\n" || len(r.errorLines()) != 0 {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 0 and Corefile: ok\nCorefile:\n%s", r.code, r.stdout, r.stderr, tc.corefile)
			}
			if !strings.Contains(r.stderr, tc.warning) || (tc.warning == "" && r.stderr != "") {
				t.Errorf("stderr %q, want the warning %q", r.stderr, tc.warning)
			}
		})
	}
}
