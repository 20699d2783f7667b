package config

import "testing"

func TestParseCheckErrorWindow(t *testing.T) {
	for body, want := range map[string][2]float64{
		"\n    errors 20":     {20, 0},
		"\n    errors 10 0.8": {10, 0.8},
		"\n    errors 50 95%": {50, 0.95},
		"\n    errors 2 100%": {2, 1},
		"":                    {0, 0},
	} {
		chk := mustParse(t, stanza("\ncheck c {\n    tcp 443"+body+"\n}")).Checks[0]
		if float64(chk.ErrorWindow) != want[0] || chk.MinSuccess != want[1] {
			t.Errorf("%q: window %d, min success %v; want %v", body, chk.ErrorWindow, chk.MinSuccess, want)
		}
	}
	tcp := func(lines string) string { return stanza("\ncheck c {\n    tcp 443" + lines + "\n}") }
	runErrorCases(t, []errorCase{
		{"no window", tcp("\n    errors # <-"), []string{`check "c": errors: expected WINDOW [MIN_SUCCESS], got 0 argument(s)`}},
		{"window of one", tcp("\n    errors 1 # <-"), []string{`errors: WINDOW: expected a whole number from 2 to 1000, got "1"`}},
		{"window too long", tcp("\n    errors 5000 # <-"), []string{`got "5000"`}},
		{"ratio over one", tcp("\n    errors 10 1.5 # <-"), []string{`errors: expected MIN_SUCCESS as a ratio above 0 and at most 1`}},
		{"ratio zero", tcp("\n    errors 10 0% # <-"), []string{`got "0%"`}},
		{"three arguments", tcp("\n    errors 10 0.8 x # <-"), []string{`got 3 argument(s)`}},
		{"twice", tcp("\n    errors 10\n    errors 20 # <-"), []string{`option "errors" given twice (first on line 4)`}},
	})
}

func TestParsePoolSlowStart(t *testing.T) {
	cfg := mustParse(t, stanza("\npool eu {\n    member 192.0.2.10\n    slowstart 30s\n}"))
	if got := cfg.Pools[0].SlowStart.String(); got != "30s" {
		t.Errorf("slowstart 30s: %s", got)
	}
	pool := func(line string) string { return stanza("\npool eu {\n    member 192.0.2.10" + line + "\n}") }
	runErrorCases(t, []errorCase{
		{"no duration", pool("\n    slowstart # <-"), []string{"slowstart: expected 1 argument(s), got 0"}},
		{"not a duration", pool("\n    slowstart soon # <-"), []string{`pool "eu": slowstart: expected a positive duration such as 5s or 300ms, got "soon"`}},
	})
}
