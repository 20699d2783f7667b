package main

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// A small PromQL reader for the monitoring tests: it finds the metric names
// an expression selects and the label names of their matchers, so the
// rules and the dashboard can be held to what the plugin exports. Whether
// an expression parses is promtool's to say (checkExprsParse); this only
// tells metric names from functions, keywords and label names, and fails
// on what it does not know rather than guess.

// selector is one vector selector of an expression.
type selector struct {
	metric string   // "" for a selector by matchers alone ({__name__=~"..."})
	labels []string // the label names its matchers use
}

// PromQL words that are not metric names when no '(' follows them:
// aggregation operators (sum by (zone) (...)), binary and modifier keywords.
var promqlKeywords = map[string]bool{
	"sum": true, "min": true, "max": true, "avg": true, "group": true, "stddev": true, "stdvar": true,
	"count": true, "count_values": true, "bottomk": true, "topk": true, "quantile": true,
	"limitk": true, "limit_ratio": true,
	"and": true, "or": true, "unless": true, "bool": true, "offset": true, "atan2": true,
	"group_left": true, "group_right": true, "inf": true, "nan": true, "start": true, "end": true,
}

// Keywords whose parenthesis holds label names, not an expression.
var promqlLabelLists = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
}

type promqlToken struct {
	kind byte // 'i' identifier, 's' string, 'n' number or duration, 'p' punctuation
	text string
}

func promqlTokens(expr string) ([]promqlToken, error) {
	var toks []promqlToken
	isIdentStart := func(c byte) bool { return c == '_' || c == ':' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '#':
			for i < len(expr) && expr[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(expr) && expr[j] != c {
				if expr[j] == '\\' && c != '`' {
					j++
				}
				j++
			}
			if j >= len(expr) {
				return nil, fmt.Errorf("unterminated string at offset %d", i)
			}
			toks = append(toks, promqlToken{'s', expr[i : j+1]})
			i = j + 1
		case isDigit(c) || c == '.' && i+1 < len(expr) && isDigit(expr[i+1]):
			j := i
			for j < len(expr) && (isIdentStart(expr[j]) && expr[j] != ':' || isDigit(expr[j]) || expr[j] == '.') {
				j++
			}
			toks = append(toks, promqlToken{'n', expr[i:j]})
			i = j
		case isIdentStart(c):
			j := i
			for j < len(expr) && (isIdentStart(expr[j]) || isDigit(expr[j])) {
				j++
			}
			toks = append(toks, promqlToken{'i', expr[i:j]})
			i = j
		case strings.IndexByte("(){}[],+-*/%^=!~<>@", c) >= 0:
			toks = append(toks, promqlToken{'p', string(c)})
			i++
		default:
			return nil, fmt.Errorf("unexpected %q at offset %d", c, i)
		}
	}
	return toks, nil
}

// selectors returns the vector selectors of expr, in order.
func selectors(expr string) ([]selector, error) {
	toks, err := promqlTokens(expr)
	if err != nil {
		return nil, err
	}
	is := func(i int, kind byte, text string) bool {
		return i < len(toks) && toks[i].kind == kind && (text == "" || toks[i].text == text)
	}
	// matchers reads {label op "value", ...} from toks[i], '{' included,
	// and returns the label names and the index after '}'.
	matchers := func(i int) ([]string, int, error) {
		var labels []string
		for i++; ; {
			if is(i, 'p', "}") {
				return labels, i + 1, nil
			}
			if !is(i, 'i', "") {
				return nil, 0, fmt.Errorf("matcher: want a label name, got %q", tokenText(toks, i))
			}
			labels = append(labels, toks[i].text)
			i++
			for is(i, 'p', "=") || is(i, 'p', "!") || is(i, 'p', "~") {
				i++
			}
			if !is(i, 's', "") {
				return nil, 0, fmt.Errorf("matcher of %s: want an operator and a string, got %q", labels[len(labels)-1], tokenText(toks, i))
			}
			if i++; is(i, 'p', ",") {
				i++
			}
		}
	}
	var out []selector
	for i := 0; i < len(toks); {
		t := toks[i]
		switch {
		case t.kind == 'i':
			word := strings.ToLower(t.text)
			switch {
			case promqlLabelLists[word] && is(i+1, 'p', "("):
				j := i + 2
				for !is(j, 'p', ")") {
					if !is(j, 'i', "") && !is(j, 'p', ",") {
						return nil, fmt.Errorf("%s (...): want label names, got %q", t.text, tokenText(toks, j))
					}
					j++
				}
				i = j + 1
			case is(i+1, 'p', "("): // a function or an aggregation
				i++
			case promqlKeywords[word] || promqlLabelLists[word]:
				i++
			default:
				s := selector{metric: t.text}
				i++
				if is(i, 'p', "{") {
					if s.labels, i, err = matchers(i); err != nil {
						return nil, err
					}
				}
				out = append(out, s)
			}
		case t.kind == 'p' && t.text == "{":
			var s selector
			if s.labels, i, err = matchers(i); err != nil {
				return nil, err
			}
			out = append(out, s)
		case t.kind == 'p' && t.text == "[": // a range or subquery: durations
			for i < len(toks) && !is(i, 'p', "]") {
				i++
			}
			i++
		default:
			i++
		}
	}
	return out, nil
}

func tokenText(toks []promqlToken, i int) string {
	if i >= len(toks) {
		return "end of expression"
	}
	return toks[i].text
}

// exported is what the plugin exports: metric names and, for each, the
// label names its series carry. A histogram stands for its _bucket (with
// le), _sum and _count series.
type exported map[string]map[string]bool

// targetLabels are the labels Prometheus adds to every scraped series.
var targetLabels = []string{"instance", "job"}

// exprProblems returns what in expr the plugin does not export: a metric
// name, or a label a matcher names that the metric's series lack.
func exprProblems(expr string, ex exported) []string {
	sels, err := selectors(expr)
	if err != nil {
		return []string{fmt.Sprintf("%q: %v", expr, err)}
	}
	if len(sels) == 0 {
		return []string{fmt.Sprintf("%q: selects no metric", expr)}
	}
	var problems []string
	for _, s := range sels {
		labels, ok := ex[s.metric]
		switch {
		case s.metric == "":
			problems = append(problems, fmt.Sprintf("%q: a selector without a metric name", expr))
			continue
		case !ok:
			problems = append(problems, fmt.Sprintf("%q: %s is not exported", expr, s.metric))
			continue
		}
		for _, l := range s.labels {
			if !labels[l] && !slices.Contains(targetLabels, l) {
				problems = append(problems, fmt.Sprintf("%q: %s has no label %s (it has %s)", expr, s.metric, l, strings.Join(sortedKeys(labels), ", ")))
			}
		}
	}
	return problems
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// labelValuesQuery splits a Grafana label_values(SELECTOR, LABEL) variable
// query.
var labelValuesQuery = regexp.MustCompile(`^\s*label_values\(\s*(.+)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$`)

// dashboardVariables are the values the tests give the dashboard's
// template variables and Grafana's own: one zone, record and check of the
// scraped configuration (monitoringCorefile).
var dashboardVariables = map[string]string{
	"zone":            "gslb.test.",
	"record":          "app.gslb.test.",
	"check":           "web",
	"__rate_interval": "1m",
	"__interval":      "1m",
	"__range":         "1h",
}

var templateVariable = regexp.MustCompile(`\$\{([a-zA-Z0-9_]+)(?::[a-z]+)?\}|\$([a-zA-Z0-9_]+)`)

// substitute replaces the template variables of a dashboard query as
// Grafana would, failing on a variable it does not know.
func substitute(query string) (string, error) {
	var unknown []string
	out := templateVariable.ReplaceAllStringFunc(query, func(m string) string {
		sub := templateVariable.FindStringSubmatch(m)
		name := sub[1] + sub[2]
		v, ok := dashboardVariables[name]
		if !ok {
			unknown = append(unknown, m)
			return m
		}
		return v
	})
	if len(unknown) > 0 {
		return "", fmt.Errorf("%q: unknown template variables %v", query, unknown)
	}
	if strings.Contains(out, "$") {
		return "", fmt.Errorf("%q: a '$' left after substitution", query)
	}
	return out, nil
}

func TestPromQLSelectors(t *testing.T) {
	cases := []struct {
		expr string
		want []selector
	}{
		{`coredns_gslb_member_healthy == 0`, []selector{{metric: "coredns_gslb_member_healthy"}}},
		{`sum by (zone, record) (rate(coredns_gslb_failovers_total{zone=~"a|b", record!="x"}[5m])) / sum by (zone, record) (rate(coredns_gslb_answers_total[5m])) > 0.1`,
			[]selector{{"coredns_gslb_failovers_total", []string{"zone", "record"}}, {metric: "coredns_gslb_answers_total"}}},
		{`coredns_gslb_member_healthy == 0 unless ignoring (override) coredns_gslb_member_override{override="down"}`,
			[]selector{{metric: "coredns_gslb_member_healthy"}, {"coredns_gslb_member_override", []string{"override"}}}},
		{`histogram_quantile(0.99, sum(rate(coredns_gslb_probe_duration_seconds_bucket{check=~"web"}[1m])) by (le))`,
			[]selector{{"coredns_gslb_probe_duration_seconds_bucket", []string{"check"}}}},
		{`x unless x offset 10m`, []selector{{metric: "x"}, {metric: "x"}}},
		{`max_over_time(up{job="a,b}"}[1h:5m]) * on (instance) group_left (version) coredns_build_info`,
			[]selector{{"up", []string{"job"}}, {metric: "coredns_build_info"}}},
		{`sum without (pool) (a) OR b AND bool c`, []selector{{metric: "a"}, {metric: "b"}, {metric: "c"}}},
		{`{__name__=~"coredns_.*"}`, []selector{{"", []string{"__name__"}}}},
		{`1 + 2e3 # coredns_gslb_in_a_comment`, nil},
	}
	for _, c := range cases {
		got, err := selectors(c.expr)
		if err != nil {
			t.Errorf("selectors(%q): %v", c.expr, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("selectors(%q) = %v, want %v", c.expr, got, c.want)
		}
	}
	for _, bad := range []string{`a{zone}`, `a{zone="x"`, `sum by (zone, "x") (a)`, `a{zone=~"x}`, `a $b`} {
		if got, err := selectors(bad); err == nil {
			t.Errorf("selectors(%q) = %v, want an error", bad, got)
		}
	}
}

// TestExprProblemsCatchMistakes: the metric-name check rejects a misspelt
// metric, a label its series lack and a selector by matchers alone, and
// substitution rejects an unknown template variable.
func TestExprProblemsCatchMistakes(t *testing.T) {
	ex := exported{
		"coredns_gslb_answers_total":                 {"zone": true, "record": true, "pool": true},
		"coredns_gslb_probe_duration_seconds_bucket": {"check": true, "kind": true, "target": true, "le": true},
	}
	good := []string{
		`sum by (pool) (rate(coredns_gslb_answers_total{zone=~"gslb.test.", instance="a"}[5m]))`,
		`histogram_quantile(0.9, sum by (le) (rate(coredns_gslb_probe_duration_seconds_bucket{check="web"}[1m])))`,
	}
	for _, e := range good {
		if p := exprProblems(e, ex); len(p) > 0 {
			t.Errorf("exprProblems(%q) = %q, want none", e, p)
		}
	}
	bad := map[string]string{
		`sum(rate(coredns_gslb_answer_total[5m]))`:                       "coredns_gslb_answer_total is not exported",
		`sum(rate(cordns_gslb_answers_total[5m]))`:                       "cordns_gslb_answers_total is not exported",
		`rate(coredns_gslb_answers_total{zon="gslb.test."}[5m])`:         "has no label zon",
		`{__name__="coredns_gslb_answers_total"}`:                        "without a metric name",
		`rate(coredns_gslb_probe_duration_seconds_count[5m])`:            "is not exported",
		`sum by (le) (coredns_gslb_probe_duration_seconds_bucket{l=""})`: "has no label l",
		`2 > 1`: "selects no metric",
	}
	for e, want := range bad {
		p := exprProblems(e, ex)
		if len(p) != 1 || !strings.Contains(p[0], want) {
			t.Errorf("exprProblems(%q) = %q, want one problem saying %q", e, p, want)
		}
	}
	if got, err := substitute(`rate(a{zone=~"$zone", record=~"${record}"}[$__rate_interval])`); err != nil || got != `rate(a{zone=~"gslb.test.", record=~"app.gslb.test."}[1m])` {
		t.Errorf("substitute: %q, %v", got, err)
	}
	for _, q := range []string{`a{zone=~"$zon"}`, `a[$__rate]`} {
		if got, err := substitute(q); err == nil {
			t.Errorf("substitute(%q) = %q, want an error: unknown variable", q, got)
		}
	}
}
