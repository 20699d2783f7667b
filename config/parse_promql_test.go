package config

import (
	"testing"
	"time"

	"github.com/gslb/gslb/healthcheck"
)

const promqlLine = "\n    promql http://127.0.0.1:9090 \"rate(errors_total{site='{pool}'}[1m])\""

func TestParseCheckPromQL(t *testing.T) {
	chk := mustParse(t, stanza("\ncheck slo {"+promqlLine+
		"\n    down_above 0.9\n    down_below -1\n    shed_above 0.2 0.5\n    stale 30s\n}")).Checks[0]
	want := healthcheck.PromQuery{
		URL: "http://127.0.0.1:9090", Query: "rate(errors_total{site='{pool}'}[1m])",
		DownAbove: healthcheck.Limit{On: true, Value: 0.9}, DownBelow: healthcheck.Limit{On: true, Value: -1},
		Shed: healthcheck.Shed{Full: 0.2, Empty: 0.5}, Stale: 30 * time.Second,
	}
	if chk.Kind != healthcheck.PromQL || chk.PromQL != want {
		t.Fatalf("got %s %+v, want promql %+v", chk.Kind, chk.PromQL, want)
	}
	below := mustParse(t, stanza("\ncheck ok {"+promqlLine+"\n    shed_below 0.999 0.99\n}")).Checks[0]
	if below.PromQL.Shed != (healthcheck.Shed{Full: 0.999, Empty: 0.99}) || below.PromQL.Stale != 0 {
		t.Fatalf("shed_below: got %+v", below.PromQL)
	}
}

func TestParseCheckPromQLErrors(t *testing.T) {
	promql := func(lines string) string { return stanza("\ncheck c {" + promqlLine + lines + "\n}") }
	runErrorCases(t, []errorCase{
		{"no query", stanza("\ncheck c {\n    promql http://127.0.0.1:9090 # <-\n}"), []string{`check "c": expected promql URL QUERY`}},
		{"not a url", stanza("\ncheck c {\n    promql 127.0.0.1:9090 up # <-\n}"), []string{`promql: expected a Prometheus URL such as http://127.0.0.1:9090, got "127.0.0.1:9090"`}},
		{"empty query", stanza("\ncheck c {\n    promql http://127.0.0.1:9090 \" \" # <-\n}"), []string{`promql: expected a PromQL QUERY, got an empty one`}},
		{"limit not a number", promql("\n    down_above high # <-"), []string{`down_above: expected a number such as 0.5 or 85, got "high"`}},
		{"limit NaN", promql("\n    down_below NaN # <-"), []string{`down_below: expected a number`}},
		{"limit two values", promql("\n    down_above 1 2 # <-"), []string{`down_above: expected 1 argument(s), got 2`}},
		{"shed one value", promql("\n    shed_above 0.5 # <-"), []string{`shed_above: expected 2 argument(s), got 1`}},
		{"shed_above reversed", promql("\n    shed_above 0.5 0.2 # <-"), []string{`shed_above: expected LOW HIGH with LOW below HIGH, got 0.5 0.2`}},
		{"shed_below reversed", promql("\n    shed_below 0.9 0.99 # <-"), []string{`shed_below: expected HIGH LOW with HIGH above LOW, got 0.9 0.99`}},
		{"two bands", promql("\n    shed_above 1 2\n    shed_below 2 1 # <-"), []string{`shed_below: a check has one shed band`}},
		{"stale zero", promql("\n    stale 0s # <-"), []string{`stale: expected a positive duration`}},
		{"limits crossed", promql("\n    down_above 1\n    down_below 2 # <-"), []string{`down_below 2 must be below down_above 1`}},
		{"slow on promql", promql("\n    slow 1s # <-"), []string{`slow does not apply to promql checks`}},
		{"errors on promql", promql("\n    errors 10 # <-"), []string{`errors does not apply to promql checks`}},
		{"promql option on tcp", stanza("\ncheck c {\n    tcp 443\n    shed_above 1 2 # <-\n}"), []string{`shed_above applies to promql checks only, not tcp`}},
	})
}
