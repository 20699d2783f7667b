package main

import (
	"errors"
	"slices"
	"testing"
)

func TestCheckPositioned(t *testing.T) {
	tests := []struct{ msg, pos, want string }{
		{"Corefile:3 - Error during parsing: Unknown directive 'x'", "Corefile:9", "Corefile:3 - Error during parsing: Unknown directive 'x'"},
		{"plugin/gslb: Corefile:5 - Error during parsing: bad", "Corefile:9", "Corefile:5 - plugin/gslb: Error during parsing: bad"},
		{"plugin/gslb: /etc/coredns/gslb.conf:12 - Error during parsing: bad", "Corefile:9", "/etc/coredns/gslb.conf:12 - plugin/gslb: Error during parsing: bad"},
		{"plugin/cache: cache TTL can not be zero or negative: -5", "Corefile:2", "Corefile:2 - plugin/cache: cache TTL can not be zero or negative: -5"},
		// A time of day is not a position: no " - " after it.
		{"plugin/x: at 10:30 it failed", "Corefile:2", "Corefile:2 - plugin/x: at 10:30 it failed"},
	}
	for _, tc := range tests {
		if got := positioned(tc.msg, tc.pos); got != tc.want {
			t.Errorf("positioned(%q, %q) = %q, want %q", tc.msg, tc.pos, got, tc.want)
		}
	}
	lines := errorLines(&checkError{"Corefile:4", errors.New("plugin/x: first\nsecond\nCorefile:6 - third\nplugin/y: Corefile:7 - fourth")})
	want := []string{"Corefile:4 - plugin/x: first", "Corefile:4 - second", "Corefile:6 - third", "Corefile:7 - plugin/y: fourth"}
	if !slices.Equal(lines, want) {
		t.Errorf("errorLines = %q, want %q", lines, want)
	}
}

func TestCheckKeyLines(t *testing.T) {
	tests := []struct {
		name, corefile string
		lines          []int
		complete       bool
	}{
		{"blocks", "a.test {\n  whoami\n}\n\n# c\nb.test:53 c.test {\n  log {\n    class all\n  }\n}\n", []int{1, 6}, true},
		{"keys over lines", "a.test,\n  b.test {\n  whoami\n}\n", []int{1}, true},
		{"snippets are no blocks", "(common) {\n  log\n}\na.test {\n  import common\n}\n", []int{4}, true},
		{"one block without braces", "\na.test\nwhoami\n", []int{2}, true},
		{"stops at a top-level import", "a.test {\n  whoami\n}\nimport more/*\nb.test {\n}\n", []int{1}, false},
	}
	for _, tc := range tests {
		lines, complete := keyLines("Corefile", []byte(tc.corefile))
		if !slices.Equal(lines, tc.lines) || complete != tc.complete {
			t.Errorf("%s: keyLines = %v, %v; want %v, %v", tc.name, lines, complete, tc.lines, tc.complete)
		}
	}
}
