package config

import (
	"fmt"
	"strings"
	"testing"
)

// manyRecords is a stanza of n pools and n records, record i in pool i and
// failing over to pool i+1 (the last one to pool 0, defined before it).
func manyRecords(n int) string {
	var b strings.Builder
	b.WriteString("gslb example.com {\n")
	for i := range n {
		fmt.Fprintf(&b, "pool p%d {\n    member 192.0.2.%d\n}\n", i, i%250+1)
		fmt.Fprintf(&b, "record app%d {\n    pools p%d p%d\n}\n", i, i, (i+1)%n)
	}
	return b.String()
}

// The parser's indexes keep the definition order and the checks of a scan:
// a forward reference resolves, a duplicate after thousands of records is
// still caught on its line.
func TestParseManyRecords(t *testing.T) {
	const n = 5000
	cfg := mustParse(t, manyRecords(n)+"}\n")
	if len(cfg.Pools) != n || len(cfg.Records) != n {
		t.Fatalf("%d pools, %d records; want %d each", len(cfg.Pools), len(cfg.Records), n)
	}
	for i := range n {
		if cfg.Pools[i].Name != fmt.Sprintf("p%d", i) || cfg.Records[i].Names[0] != fmt.Sprintf("app%d.example.com.", i) {
			t.Fatalf("position %d: pool %s, record %s; want definition order", i, cfg.Pools[i].Name, cfg.Records[i].Names[0])
		}
	}

	runErrorCases(t, []errorCase{
		{"record defined twice", manyRecords(n) + "record www app1234 { # <-\n    pools p0\n}\n}\n", []string{`record "app1234.example.com." defined twice`}},
		{"pool defined twice", manyRecords(n) + "pool p4321 { # <-\n    member 192.0.2.1\n}\n}\n", []string{`pool "p4321" defined twice`}},
		{"unknown pool", manyRecords(n) + "record last {\n    pools p0 p5000 # <-\n}\n}\n", []string{`record "last": unknown pool "p5000"`}},
	})
}
