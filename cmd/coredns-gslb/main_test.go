package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/coredns/coredns/core/dnsserver"
)

// gslb must run before cache: cache keys on name and type only and would
// replay one client's tailored answer to every client.
func TestDirectiveOrder(t *testing.T) {
	d := dnsserver.Directives
	if n := countOf(d, "gslb"); n != 1 {
		t.Fatalf("gslb appears %d times in dnsserver.Directives, want exactly once", n)
	}
	g, c := slices.Index(d, "gslb"), slices.Index(d, "cache")
	if c < 0 {
		t.Fatal("cache is missing from dnsserver.Directives")
	}
	if g+1 != c {
		t.Errorf("gslb at %d and cache at %d in dnsserver.Directives, want gslb immediately before cache", g, c)
	}
}

func TestInsertBefore(t *testing.T) {
	tests := []struct {
		in     []string
		anchor string
		want   []string
	}{
		{[]string{"log", "cache", "file"}, "cache", []string{"log", "gslb", "cache", "file"}},
		{[]string{"cache", "file"}, "cache", []string{"gslb", "cache", "file"}},
		{[]string{"log", "cache"}, "cache", []string{"log", "gslb", "cache"}},
		{[]string{"log", "cache", "cache"}, "cache", []string{"log", "gslb", "cache", "cache"}},
	}
	for _, tc := range tests {
		// Spare capacity would let an in-place insert go unnoticed by len.
		in := append(make([]string, 0, len(tc.in)+4), tc.in...)
		before := slices.Clone(in[:cap(in)])
		got := insertBefore(in, tc.anchor, "gslb")
		if !slices.Equal(got, tc.want) {
			t.Errorf("insertBefore(%q, %q) = %q, want %q", tc.in, tc.anchor, got, tc.want)
		}
		if !slices.Equal(in[:cap(in)], before) {
			t.Errorf("insertBefore(%q, %q) modified its input's backing array: %q", tc.in, tc.anchor, in[:cap(in)])
		}
		got[0] = "changed"
		if in[0] == "changed" {
			t.Errorf("insertBefore(%q, %q) returned a slice sharing its input's array", tc.in, tc.anchor)
		}
	}
}

func TestInsertBeforeMissingAnchor(t *testing.T) {
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, `cache`) {
			t.Errorf("insertBefore without the anchor: panic %q, want one naming the missing directive cache", msg)
		}
	}()
	insertBefore([]string{"log", "file"}, "cache", "gslb")
}

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
