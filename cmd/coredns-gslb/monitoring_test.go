package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/geoip"
	"github.com/gslb/gslb/internal/etcdtest"
	"github.com/gslb/gslb/internal/geoiptest"
)

// The alerting rules and the Grafana dashboard of deploy/ (README.md,
// Alerts and dashboard): promtool checks the rules and runs their tests,
// the PrometheusRule holds the same groups, every query parses, and every
// metric and matcher label they use is one a running coredns-gslb exports.

const (
	rulesFile      = "../../deploy/prometheus/gslb-rules.yml"
	rulesTestFile  = "../../deploy/prometheus/gslb-rules_test.yml"
	ruleObjectFile = "../../deploy/prometheus/gslb-prometheusrule.yaml"
	dashboardFile  = "../../deploy/grafana/gslb-dashboard.json"
	readmeFile     = "../../README.md"
	// runbookBase is where every alert's runbook_url points, an anchor of
	// a heading of README.md's Alerts and dashboard section after it.
	runbookBase = "https://github.com/gslb/gslb/blob/main/README.md#"
)

// ruleFile is a Prometheus rules file, decoded strictly: a misspelt field
// fails the test instead of being ignored.
type ruleFile struct {
	Groups []ruleGroup `json:"groups"`
}

type ruleGroup struct {
	Name     string `json:"name"`
	Interval string `json:"interval,omitempty"`
	Rules    []rule `json:"rules"`
}

type rule struct {
	Alert       string            `json:"alert,omitempty"`
	Record      string            `json:"record,omitempty"`
	Expr        string            `json:"expr"`
	For         string            `json:"for,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func loadRules(t *testing.T) ruleFile {
	t.Helper()
	var rf ruleFile
	readYAML(t, rulesFile, &rf)
	if len(rf.Groups) == 0 {
		t.Fatalf("%s: no groups", rulesFile)
	}
	return rf
}

// promtool runs Debian's promtool (the prometheus package, which .ci/run
// installs). A missing promtool fails the test: the rules are not checked.
func promtool(t *testing.T, args ...string) (string, error) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatalf("promtool not found (%v): install Debian's prometheus package, as .ci/run does", err)
	}
	out, err := exec.Command(path, args...).CombinedOutput()
	return string(out), err
}

func TestAlertRules(t *testing.T) {
	t.Parallel()
	if out, err := promtool(t, "check", "rules", rulesFile); err != nil {
		t.Fatalf("promtool check rules %s: %v\n%s", rulesFile, err, out)
	}
	if out, err := promtool(t, "test", "rules", rulesTestFile); err != nil {
		t.Fatalf("promtool test rules %s: %v\n%s", rulesTestFile, err, out)
	}

	anchors := runbookAnchors(t)
	firing, silent := ruleTestCases(t, rulesTestFile)
	seen := map[string]bool{}
	used := map[string]bool{}
	for _, g := range loadRules(t).Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				t.Errorf("group %s: a rule that is no alert (%q): only alerts belong here", g.Name, r.Record)
				continue
			}
			if seen[r.Alert] {
				t.Errorf("alert %s defined twice", r.Alert)
			}
			seen[r.Alert] = true
			if s := r.Labels["severity"]; !slices.Contains([]string{"critical", "warning", "info"}, s) {
				t.Errorf("alert %s: severity %q, want critical, warning or info", r.Alert, s)
			}
			for _, a := range []string{"summary", "description", "runbook_url"} {
				if strings.TrimSpace(r.Annotations[a]) == "" {
					t.Errorf("alert %s: no %s annotation", r.Alert, a)
				}
			}
			url := r.Annotations["runbook_url"]
			anchor, ok := strings.CutPrefix(url, runbookBase)
			switch {
			case !ok:
				t.Errorf("alert %s: runbook_url %q, want %sANCHOR", r.Alert, url, runbookBase)
			case !anchors[anchor]:
				t.Errorf("alert %s: runbook_url %q: README.md's Alerts and dashboard section has no heading with anchor %q (it has %v)", r.Alert, url, anchor, sortedKeys(anchors))
			}
			used[anchor] = true
			if !firing[r.Alert] {
				t.Errorf("alert %s: %s expects it firing nowhere", r.Alert, rulesTestFile)
			}
			if !silent[r.Alert] {
				t.Errorf("alert %s: %s expects it silent nowhere", r.Alert, rulesTestFile)
			}
		}
	}
	for a := range anchors {
		if !used[a] {
			t.Errorf("README.md runbook #%s: no alert points at it", a)
		}
	}
	for name := range firing {
		if !seen[name] {
			t.Errorf("%s tests alert %s, which the rules do not define", rulesTestFile, name)
		}
	}
}

// ruleTestCases returns the alerts a promtool test file expects firing at
// some evaluation, and those it expects silent at some other.
func ruleTestCases(t *testing.T, path string) (firing, silent map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tf struct {
		Tests []struct {
			AlertRuleTest []struct {
				Alertname string `json:"alertname"`
				ExpAlerts []any  `json:"exp_alerts"`
			} `json:"alert_rule_test"`
		} `json:"tests"`
	}
	if err := yaml.Unmarshal(data, &tf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	firing, silent = map[string]bool{}, map[string]bool{}
	for _, tc := range tf.Tests {
		for _, at := range tc.AlertRuleTest {
			if len(at.ExpAlerts) > 0 {
				firing[at.Alertname] = true
			} else {
				silent[at.Alertname] = true
			}
		}
	}
	return firing, silent
}

// runbookAnchors returns the GitHub anchors of the headings below level 2
// in README.md's "## Alerts and dashboard" section that name an alert.
func runbookAnchors(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Alerts and dashboard\n")
	if !ok {
		t.Fatalf("%s: no section ## Alerts and dashboard", readmeFile)
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#{3,6} +(GSLB\w+) *$`).FindAllStringSubmatch(section, -1) {
		anchors[githubAnchor(m[1])] = true
	}
	return anchors
}

// githubAnchor is the anchor GitHub gives a heading.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestPrometheusRuleHoldsTheRules: the PrometheusRule object is valid as
// one and its spec.groups are the plain file's groups, field for field.
func TestPrometheusRuleHoldsTheRules(t *testing.T) {
	t.Parallel()
	var obj struct {
		APIVersion string            `json:"apiVersion"`
		Kind       string            `json:"kind"`
		Metadata   metav1.ObjectMeta `json:"metadata"`
		Spec       ruleFile          `json:"spec"`
	}
	readYAML(t, ruleObjectFile, &obj)
	if obj.APIVersion != "monitoring.coreos.com/v1" || obj.Kind != "PrometheusRule" {
		t.Errorf("%s: %s %s, want monitoring.coreos.com/v1 PrometheusRule", ruleObjectFile, obj.APIVersion, obj.Kind)
	}
	if obj.Metadata.Name == "" || obj.Metadata.Namespace == "" {
		t.Errorf("%s: metadata %+v, want a name and a namespace", ruleObjectFile, obj.Metadata)
	}
	// Compared as decoded YAML, not through ruleFile: a field either
	// decoding drops would still differ.
	var plain, object map[string]any
	for path, v := range map[string]*map[string]any{rulesFile: &plain, ruleObjectFile: &object} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if keys := mapKeys(plain); !slices.Equal(keys, []string{"groups"}) {
		t.Errorf("%s: top-level keys %v, want groups only", rulesFile, keys)
	}
	spec, _ := object["spec"].(map[string]any)
	if keys := mapKeys(spec); !slices.Equal(keys, []string{"groups"}) {
		t.Errorf("%s: spec keys %v, want groups only", ruleObjectFile, keys)
	}
	if diff := firstDifference(plain["groups"], spec["groups"], "groups"); diff != "" {
		t.Errorf("%s spec.groups differ from %s groups: %s", ruleObjectFile, rulesFile, diff)
	}
}

func mapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// firstDifference describes where decoded YAML a and b first differ, "" if
// they do not.
func firstDifference(a, b any, path string) string {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %v against %v", path, a, b)
		}
		for _, k := range mapKeys(a) {
			if d := firstDifference(a[k], b[k], path+"."+k); d != "" {
				return d
			}
		}
		for _, k := range mapKeys(b) {
			if _, ok := a[k]; !ok {
				return fmt.Sprintf("%s.%s: only in the PrometheusRule", path, k)
			}
		}
		return ""
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return fmt.Sprintf("%s: %d items against %v", path, len(a), b)
		}
		for i := range a {
			if d := firstDifference(a[i], b[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("%s: %#v against %#v", path, a, b)
	}
	return ""
}

// dashboard is the part of Grafana's dashboard JSON the tests read.
type dashboard struct {
	Inputs []struct {
		Name     string `json:"name"`
		Type     string `json:"type"`
		PluginID string `json:"pluginId"`
	} `json:"__inputs"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Datasource *datasource     `json:"datasource"`
			Query      json.RawMessage `json:"query"`
		} `json:"list"`
	} `json:"templating"`
	UID   string `json:"uid"`
	Title string `json:"title"`
}

type panel struct {
	ID         int         `json:"id"`
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Datasource *datasource `json:"datasource"`
	Targets    []struct {
		RefID      string      `json:"refId"`
		Expr       string      `json:"expr"`
		Datasource *datasource `json:"datasource"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // a collapsed row's
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// dashboardDatasource is the datasource every query uses: the one
// __inputs asks for at import.
var dashboardDatasource = datasource{Type: "prometheus", UID: "${DS_PROMETHEUS}"}

func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	return d
}

// dashboardQueries returns the dashboard's PromQL, template variables
// substituted, by where it is: each panel target's expr, and the selector
// of each label_values variable query. labels gives, for the latter, the
// label each variable lists.
func dashboardQueries(t *testing.T, d dashboard) (queries map[string]string, labels map[string]string, problems []string) {
	t.Helper()
	queries, labels = map[string]string{}, map[string]string{}
	add := func(where, q string) {
		s, err := substitute(q)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", where, err))
			return
		}
		queries[where] = s
	}
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			walk(p.Panels)
			for _, tg := range p.Targets {
				add(fmt.Sprintf("panel %d %q target %s", p.ID, p.Title, tg.RefID), tg.Expr)
			}
		}
	}
	walk(d.Panels)
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		var q string
		if err := json.Unmarshal(v.Query, &q); err != nil {
			var obj struct {
				Query string `json:"query"`
			}
			if err := json.Unmarshal(v.Query, &obj); err != nil {
				problems = append(problems, fmt.Sprintf("variable %s: query %s: %v", v.Name, v.Query, err))
				continue
			}
			q = obj.Query
		}
		m := labelValuesQuery.FindStringSubmatch(q)
		if m == nil {
			problems = append(problems, fmt.Sprintf("variable %s: query %q, want label_values(SELECTOR, LABEL)", v.Name, q))
			continue
		}
		where := "variable " + v.Name
		add(where, m[1])
		labels[where] = m[2]
	}
	return queries, labels, problems
}

func TestDashboard(t *testing.T) {
	t.Parallel()
	d := loadDashboard(t)
	if d.UID == "" || d.Title == "" {
		t.Errorf("dashboard uid %q, title %q: want both", d.UID, d.Title)
	}
	if len(d.Inputs) != 1 || d.Inputs[0].Name != "DS_PROMETHEUS" || d.Inputs[0].Type != "datasource" || d.Inputs[0].PluginID != "prometheus" {
		t.Errorf("__inputs %+v, want the one Prometheus datasource DS_PROMETHEUS", d.Inputs)
	}
	vars := map[string]bool{}
	for _, v := range d.Templating.List {
		vars[v.Name] = true
		if v.Datasource == nil || *v.Datasource != dashboardDatasource {
			t.Errorf("variable %s: datasource %v, want %v", v.Name, v.Datasource, dashboardDatasource)
		}
	}
	for _, name := range []string{"zone", "record"} {
		if !vars[name] {
			t.Errorf("no template variable %s", name)
		}
	}

	ids := map[int]string{}
	var all []panel
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			all = append(all, p)
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	for _, p := range all {
		if other, ok := ids[p.ID]; ok {
			t.Errorf("panels %q and %q share id %d", other, p.Title, p.ID)
		}
		ids[p.ID] = p.Title
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q: no targets", p.Title)
		}
		if p.Datasource == nil || *p.Datasource != dashboardDatasource {
			t.Errorf("panel %q: datasource %v, want %v", p.Title, p.Datasource, dashboardDatasource)
		}
		refs := map[string]bool{}
		for _, tg := range p.Targets {
			if tg.RefID == "" || refs[tg.RefID] {
				t.Errorf("panel %q: refId %q empty or repeated", p.Title, tg.RefID)
			}
			refs[tg.RefID] = true
			if strings.TrimSpace(tg.Expr) == "" {
				t.Errorf("panel %q target %s: no expr", p.Title, tg.RefID)
			}
			if tg.Datasource == nil || *tg.Datasource != dashboardDatasource {
				t.Errorf("panel %q target %s: datasource %v, want %v", p.Title, tg.RefID, tg.Datasource, dashboardDatasource)
			}
		}
	}

	queries, _, problems := dashboardQueries(t, d)
	for _, p := range problems {
		t.Error(p)
	}
	// What the dashboard is for (README.md, Alerts and dashboard): each of
	// these is graphed somewhere.
	for _, metric := range []string{
		"coredns_gslb_answers_total", "coredns_gslb_member_healthy", "coredns_gslb_failovers_total",
		"coredns_gslb_all_down_events_total", "coredns_gslb_probe_duration_seconds_bucket",
		"coredns_gslb_probe_failures_total", "coredns_gslb_ecs_queries_total",
		"coredns_gslb_member_override", "coredns_gslb_store_connected",
	} {
		found := false
		for where, q := range queries {
			sels, _ := selectors(q)
			found = found || strings.HasPrefix(where, "panel") && slices.ContainsFunc(sels, func(s selector) bool { return s.metric == metric })
		}
		if !found {
			t.Errorf("no panel graphs %s", metric)
		}
	}
	if out, err := checkExprsParse(t, queries); err != nil {
		t.Errorf("the dashboard's queries as recording rules: promtool check rules: %v\n%s", err, out)
	}
}

// checkExprsParse has promtool parse each expression, written as the
// expression of a recording rule, and returns its output.
func checkExprsParse(t *testing.T, exprs map[string]string) (string, error) {
	t.Helper()
	var rf ruleFile
	g := ruleGroup{Name: "parsed"}
	var where []string
	for w := range exprs {
		where = append(where, w)
	}
	slices.Sort(where)
	for i, w := range where {
		g.Rules = append(g.Rules, rule{Record: fmt.Sprintf("query:%d", i), Expr: exprs[w]})
	}
	rf.Groups = append(rf.Groups, g)
	data, err := yaml.Marshal(rf)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "queries.yml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := promtool(t, "check", "rules", path)
	if err != nil {
		// Name each query by where it is: promtool knows them by number.
		for i, w := range where {
			out = strings.ReplaceAll(out, fmt.Sprintf("%q", fmt.Sprintf("query:%d", i)), fmt.Sprintf("%q (%s)", exprs[w], w))
		}
	}
	return out, err
}

// TestMonitoringCheckersCatchMistakes: a rule that does not parse, a rule
// that no longer does what its test expects and a dashboard query that does
// not parse all fail.
func TestMonitoringCheckersCatchMistakes(t *testing.T) {
	t.Parallel()
	if out, err := checkExprsParse(t, map[string]string{"good": `sum(rate(coredns_gslb_answers_total[5m]))`}); err != nil {
		t.Errorf("a good query: promtool check rules: %v\n%s", err, out)
	}
	out, err := checkExprsParse(t, map[string]string{"bad": `sum(rate(coredns_gslb_answers_total[5m])`})
	if err == nil || !strings.Contains(out, "(bad)") {
		t.Errorf("an unclosed parenthesis: promtool check rules %v, want a failure naming the query\n%s", err, out)
	}

	rules, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	tests, err := os.ReadFile(rulesTestFile)
	if err != nil {
		t.Fatal(err)
	}
	mutations := []struct {
		name, old, new, cmd string
	}{
		{"a syntax error", "coredns_gslb_member_healthy == 0\n", "coredns_gslb_member_healthy == \n", "check"},
		{"GSLBMemberDown after 10m", "{override=\"down\"}\n        for: 2m\n", "{override=\"down\"}\n        for: 10m\n", "test"},
		{"GSLBRecordAllDown without its new-series clause", "          or\n          (coredns_gslb_all_down_events_total unless coredns_gslb_all_down_events_total offset 10m)\n", "", "test"},
		{"GSLBMemberDown counting forced-down members", "          unless ignoring (override)\n          coredns_gslb_member_override{override=\"down\"}\n", "", "test"},
	}
	for _, m := range mutations {
		if bytes.Count(rules, []byte(m.old)) != 1 {
			t.Errorf("%s: %q is not once in %s", m.name, m.old, rulesFile)
			continue
		}
		dir := t.TempDir()
		mutated := bytes.Replace(rules, []byte(m.old), []byte(m.new), 1)
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(rulesFile)), mutated, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(rulesTestFile)), tests, 0o644); err != nil {
			t.Fatal(err)
		}
		file := rulesFile
		if m.cmd == "test" {
			file = rulesTestFile
		}
		if out, err := promtool(t, m.cmd, "rules", filepath.Join(dir, filepath.Base(file))); err == nil {
			t.Errorf("rules with %s: promtool %s rules passed, want a failure\n%s", m.name, m.cmd, out)
		}
	}
}

// monitoringCorefile: prometheus on %[1]s, the override file %[2]s, the
// store at %[3]s; eu's members are probed at %[4]s, a live httpBackend,
// us's at %[5]s, where nothing listens. app fails over from eu to us, dead
// has us alone and is all down.
const monitoringCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    prometheus 127.0.0.1:%[1]s
    reload
    gslb {
        override %[2]s
        store etcd %[3]s {
            observer alerts
            lease 2s
            timeout 500ms
        }
        check web {
            http 80 /healthz
            interval 200ms
            timeout 100ms
            rise 1
            fall 1
        }
        pool eu {
            member 192.0.2.10 probe 127.0.0.1:%[4]s
            member 192.0.2.11 probe 127.0.0.1:%[4]s
            check web
        }
        pool us {
            member 198.51.100.10 probe 127.0.0.1:%[5]s
            check web
        }
        record app {
            pools eu us
        }
        record dead {
            pools us
        }
    }
}
`

// TestMonitoringUsesExportedMetrics holds every metric name the rules and
// the dashboard select, and every label their matchers name, to what a
// running coredns-gslb exports. The series come from a scrape of the
// binary with a fleet store, an override file in force, a member down, a
// record all down and a load of the store's overrides, with one exception:
// coredns_gslb_geoip_reloads_total, whose first series waits for the
// binary's poll of the GeoIP file (every 30 s), is taken from the geoip
// package itself, reloading a database in this process.
func TestMonitoringUsesExportedMetrics(t *testing.T) {
	t.Parallel()
	queries := map[string]string{}
	for _, g := range loadRules(t).Groups {
		for _, r := range g.Rules {
			queries["alert "+r.Alert] = r.Expr
		}
	}
	dq, variableLabels, problems := dashboardQueries(t, loadDashboard(t))
	for _, p := range problems {
		t.Error(p)
	}
	for w, q := range dq {
		queries[w] = q
	}

	geoIPFamilies := reloadGeoIPDatabase(t)

	store := etcdtest.Start(t)
	up := newHTTPBackend(t)
	metricsPort, down := freePort(t), freePort(t)
	overrides := filepath.Join(t.TempDir(), "overrides")
	if err := os.WriteFile(overrides, []byte("drain eu/192.0.2.11\nweight us 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, fmt.Sprintf(monitoringCorefile, metricsPort, overrides, store.Endpoint(), up.port(), down))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := store.Client(t).Put(ctx, fleet.OverridesKey(fleet.DefaultPrefix, "gslb.test."), "drain eu/192.0.2.10"); err != nil {
		t.Fatal(err)
	}

	var ex exported
	var text string
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		for _, name := range []string{"app.gslb.test.", "dead.gslb.test."} {
			s.query(t, "udp", name, dns.TypeA, true)
		}
		text = scrapeMetricsText(t, metricsPort)
		p := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := p.TextToMetricFamilies(strings.NewReader(text))
		if err != nil {
			t.Fatalf("parsing /metrics: %v", err)
		}
		for name, f := range geoIPFamilies {
			fams[name] = f
		}
		ex = exportedNames(fams)
		problems = problems[:0]
		for _, w := range sortedKeys(keySet(queries)) {
			for _, p := range exprProblems(queries[w], ex) {
				problems = append(problems, w+": "+p)
			}
		}
		for w, label := range variableLabels {
			sels, _ := selectors(queries[w])
			for _, s := range sels {
				if l, ok := ex[s.metric]; ok && !l[label] {
					problems = append(problems, fmt.Sprintf("%s: label_values of %s, which has no label %s", w, s.metric, label))
				}
			}
		}
		if len(problems) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
	if t.Failed() {
		var lines []string
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "coredns_gslb_") && !strings.Contains(l, "_bucket{") {
				lines = append(lines, l)
			}
		}
		t.Logf("gslb's series in the last scrape:\n%s", strings.Join(lines, "\n"))
	}
	var gslb []string
	for name := range ex {
		if strings.HasPrefix(name, "coredns_gslb_") {
			gslb = append(gslb, name)
		}
	}
	slices.Sort(gslb)
	t.Logf("%d queries checked against %d exported names, of gslb: %s", len(queries), len(ex), strings.Join(gslb, " "))
}

func keySet[V any](m map[string]V) map[string]bool {
	s := map[string]bool{}
	for k := range m {
		s[k] = true
	}
	return s
}

// exportedNames lists the series names of fams with their label names: a
// histogram's _bucket (with le), _sum and _count, a summary's own name
// (with quantile), _sum and _count.
func exportedNames(fams map[string]*dto.MetricFamily) exported {
	ex := exported{}
	for name, f := range fams {
		labels := map[string]bool{}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = true
			}
		}
		with := func(extra string) map[string]bool {
			l := map[string]bool{extra: true}
			for k := range labels {
				l[k] = true
			}
			return l
		}
		switch f.GetType() {
		case dto.MetricType_HISTOGRAM:
			ex[name+"_bucket"], ex[name+"_sum"], ex[name+"_count"] = with("le"), labels, labels
		case dto.MetricType_SUMMARY:
			ex[name], ex[name+"_sum"], ex[name+"_count"] = with("quantile"), labels, labels
		default:
			ex[name] = labels
		}
	}
	return ex
}

// reloadGeoIPDatabase has the geoip package, which the binary runs, reject
// a changed database in this process, and returns the families of its
// series as this process's registry gathers them.
func reloadGeoIPDatabase(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	path := filepath.Join(t.TempDir(), "city.mmdb")
	geoiptest.Write(t, path, "GeoIP2-City", []geoiptest.Entry{{Network: "192.0.2.0/24", Country: "DE", Continent: "EU"}})
	db, err := geoip.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Watch(20 * time.Millisecond)
	defer db.Stop()
	if err := os.WriteFile(path, []byte("not a MaxMind database"), 0o644); err != nil {
		t.Fatal(err)
	}
	const name = "coredns_gslb_geoip_reloads_total"
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		fams, err := prometheus.DefaultGatherer.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fams {
			if f.GetName() == name {
				return map[string]*dto.MetricFamily{name: f}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no series 5s after the database file changed", name)
		}
	}
}
