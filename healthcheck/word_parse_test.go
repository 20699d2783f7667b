package healthcheck

import (
	"strings"
	"testing"
)

func TestParseWord(t *testing.T) {
	for _, tc := range []struct {
		line string
		want Word
	}{
		{"", Word{Weight: -1}},
		{"\n", Word{Weight: -1}},
		{"75%\n", Word{Said: true, Weight: 0.75}},
		{"12.5%\r\n", Word{Said: true, Weight: 0.125}},
		{"0%", Word{Said: true, Weight: 0}},
		{"180%", Word{Said: true, Weight: 1}}, // clamped: see ParseWord
		{"drain", Word{Said: true, Weight: -1, Drain: true}},
		{"DOWN #maintenance\n", Word{Said: true, Weight: -1, Down: true, Reason: "maintenance"}},
		{"maint", Word{Said: true, Weight: -1, Down: true}},
		{"fail#  disk full  ", Word{Said: true, Weight: -1, Down: true, Reason: "disk full"}},
		{"stopped", Word{Said: true, Weight: -1, Down: true}},
		{"up", Word{Said: true, Weight: -1, Up: true}},
		{"ready 50%", Word{Said: true, Weight: 0.5, Up: true}},
		{"up,\t30%, drain", Word{Said: true, Weight: 0.3, Up: true, Drain: true}},
		{"maxconn:30 hello 40%", Word{Said: true, Weight: 0.4}},
		{"maxconn:30 hello", Word{Weight: -1}},
		{"%%%", Word{Weight: -1}},
		{"-5% +5% 1e2% .% NaN% Inf% 1.2.3%", Word{Weight: -1}},
		{"# only a reason", Word{Weight: -1, Reason: "only a reason"}},
		{"up\ndown", Word{Said: true, Weight: -1, Up: true}}, // one line only
	} {
		if got := ParseWord(tc.line); got != tc.want {
			t.Errorf("ParseWord(%q) = %+v, want %+v", tc.line, got, tc.want)
		}
	}
}

func FuzzParseWord(f *testing.F) {
	for _, seed := range []string{"75%", "drain", "down #maintenance", "up", "ready 50%", "up,30%,drain",
		"%%%", "999999999999%", "1e400%", "0.0000001%", "#", "\r\n", "maint\tfail,stopped # x # y",
		strings.Repeat("9", 400) + "%"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		w := ParseWord(line)
		if w.Weight != -1 && !(w.Weight >= 0 && w.Weight <= 1) {
			t.Fatalf("ParseWord(%q): weight %v outside [0, 1] and not -1", line, w.Weight)
		}
		if !w.Said && (w.Weight != -1 || w.Drain || w.Down || w.Up) {
			t.Fatalf("ParseWord(%q) = %+v: a word without Said", line, w)
		}
	})
}
