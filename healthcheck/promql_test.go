package healthcheck

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseQueryResponse(t *testing.T) {
	for body, want := range map[string]float64{
		`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.5,"0.25"]}]}}`: 0.25,
		`{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"42"]}}`:                           42,
		`{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"+Inf"]}}`:                         math.Inf(1),
	} {
		if v, err := parseQueryResponse([]byte(body)); err != nil || v != want {
			t.Errorf("%s: %v, %v; want %v", body, v, err, want)
		}
	}
	for body, cond := range map[string]string{
		`not json`: promqlUnreachable,
		`{"status":"error","errorType":"bad_data","error":"parse error"}`:                                    promqlError,
		`{"status":"success","data":{"resultType":"matrix","result":[]}}`:                                    promqlError,
		`{"status":"success","data":{"resultType":"vector","result":[]}}`:                                    promqlEmpty,
		`{"status":"success","data":{"resultType":"vector","result":[{"value":[1,"1"]},{"value":[1,"2"]}]}}`: promqlEmpty,
		`{"status":"success","data":{"resultType":"vector","result":[{"value":[1,"NaN"]}]}}`:                 promqlNaN,
		`{"status":"success","data":{"resultType":"scalar","result":[1,"x"]}}`:                               promqlError,
	} {
		_, err := parseQueryResponse([]byte(body))
		var f *queryFailure
		if !errors.As(err, &f) || f.cond != cond {
			t.Errorf("%s: %v, want condition %s", body, err, cond)
		}
	}
}

func TestPromQLValueToWord(t *testing.T) {
	above := PromQuery{DownAbove: Limit{On: true, Value: 2}, Shed: Shed{Full: 0.3, Empty: 1}}
	below := PromQuery{DownBelow: Limit{On: true, Value: 0.95}, Shed: Shed{Full: 0.999, Empty: 0.99}}
	for _, tt := range []struct {
		q      PromQuery
		v      float64
		weight float64
		down   string
	}{
		{above, 0.1, 1, ""}, {above, 0.3, 1, ""}, {above, 0.65, 0.55, ""}, {above, 1, 0.1, ""}, {above, 1.5, 0.1, ""},
		{above, 2.5, -1, "promql value 2.5 above down_above 2"},
		{below, 1, 1, ""}, {below, 0.9945, 0.55, ""}, {below, 0.96, 0.1, ""},
		{below, 0.9, -1, "promql value 0.9 below down_below 0.95"},
		{PromQuery{}, 1e9, 1, ""},
	} {
		w := tt.q.word(tt.v)
		if !w.Said || math.Abs(w.Weight-tt.weight) > 1e-9 || w.Down != (tt.down != "") || w.Up == w.Down || !strings.Contains(w.Reason, tt.down) {
			t.Errorf("%+v at %v: %+v, want weight %v down %q", tt.q, tt.v, w, tt.weight, tt.down)
		}
	}
}

// A promql check's words go to Factors.Metric, not Agent, and a down from
// a crossed limit is lifted by the next value within it.
func TestPromQLWordsAreTheMetricFactor(t *testing.T) {
	c := NewCheck("c", PromQL)
	c.Rise, c.Fall = 1, 3
	m := newStateMachine(c)
	m.observe(nil, 0, Word{Said: true, Weight: 0.5, Up: true})
	if s := m.status(); s.State != Up || s.Factors.Metric != 0.5 || s.Factors.Agent != 1 || s.Factor != 0.5 {
		t.Fatalf("metric 0.5: %+v", s)
	}
	m.observe(nil, 0, Word{Said: true, Weight: -1, Down: true, Reason: "promql value 3 above down_above 2"})
	if s := m.status(); s.State != Down || !strings.Contains(s.Err, "the metric is past its limit: promql value 3") {
		t.Fatalf("over the limit: %+v, want down at once", s)
	}
	m.observe(nil, 0, neutralWord)
	if s := m.status(); s.State != Up || s.Factor != 1 {
		t.Fatalf("neutral after down: %+v, want up at full weight", s)
	}
}

func TestPromQLForMemberKeys(t *testing.T) {
	c := NewCheck("c", PromQL)
	c.PromQL.Query = `up{site="{pool}",instance="{member}"}`
	a, b := c.ForMember("eu", "192.0.2.1"), c.ForMember("us", "192.0.2.1")
	if a.PromQL.Query != `up{site="eu",instance="192.0.2.1"}` {
		t.Fatalf("substituted %q", a.PromQL.Query)
	}
	if (Target{Addr: "192.0.2.1", Check: a}).Key() == (Target{Addr: "192.0.2.1", Check: b}).Key() {
		t.Fatal("two substituted queries share a key")
	}
	if tcp := NewCheck("t", TCP); tcp.ForMember("eu", "x").PromQL != tcp.PromQL {
		t.Fatal("ForMember changed a tcp check")
	}
}
