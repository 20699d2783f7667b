package override

import (
	"strconv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	file := `# drill: move eu off gradually
drain eu/192.0.2.10
weight eu 1   # from 9
weight us 9

down us/2001:db8::10
up ap
drain ap
down aws/NLB.example.net
`
	entries, err := Parse("overrides", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2 drain eu/192.0.2.10", "3 weight eu 1", "4 weight us 9", "6 down us/2001:db8::10", "7 up ap", "8 drain ap", "9 down aws/nlb.example.net."}
	if len(entries) != len(want) {
		t.Fatalf("%d entries, want %d: %+v", len(entries), len(want), entries)
	}
	for i, e := range entries {
		got := strings.TrimSpace(strings.Join([]string{strconv.Itoa(e.Line), e.Op.String(), e.Target(), weightOf(e)}, " "))
		if got != want[i] {
			t.Errorf("entry %d: %q, want %q", i, got, want[i])
		}
	}
}

func weightOf(e Entry) string {
	if e.Op != Weight {
		return ""
	}
	return strconv.Itoa(e.Weight)
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ file, want string }{
		{"drain eu\nevacuate eu", `overrides:2: unknown operation "evacuate": expected drain, down, up or weight`},
		{"drain", "overrides:1: drain: expected POOL or POOL/MEMBER"},
		{"down eu us", "overrides:1: down: expected POOL or POOL/MEMBER"},
		{"\n\nweight eu", "overrides:3: weight: expected POOL N"},
		{"weight eu 0", `overrides:1: weight: expected a whole number from 1 to 65536, got "0"`},
		{"weight eu heavy", `got "heavy"`},
		{"weight eu/192.0.2.1 3", `overrides:1: weight: expected a pool, not a member`},
		{"drain eu/192.0.2.300", `overrides:1: drain: expected POOL/ADDRESS or POOL/HOSTNAME, got "eu/192.0.2.300"`},
		{"up /192.0.2.1", `overrides:1: up: expected a pool name`},
		{"down eu\nup eu", "overrides:2: up eu contradicts line 1 (down eu)"},
		{"weight eu 2\nweight eu 3", "overrides:2: weight eu contradicts line 1 (weight eu)"},
	}
	for _, tc := range tests {
		_, err := Parse("overrides", []byte(tc.file))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.file, err, tc.want)
		}
	}
	if _, err := Parse("overrides", []byte("down eu\ndown eu\ndrain eu\ndrain eu")); err != nil {
		t.Errorf("repeating the same override is harmless: %v", err)
	}
}
