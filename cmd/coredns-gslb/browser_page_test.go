package main

import (
	"fmt"
	"testing"
	"time"
)

// statusPage reads the status page in the browser by the data attributes
// its scripts set (plugin/internal/status/page).
type statusPage struct{ b *browser }

// probe is a script run in the page, with its arguments.
type probe struct {
	script string
	args   []any
}

func (p *statusPage) memberState(pool, member string) probe {
	return probe{`const r = document.querySelector('tr.member[data-pool="' + CSS.escape(arguments[0]) + '"][data-member="' + CSS.escape(arguments[1]) + '"]');
		return r ? r.dataset.state : 'absent'`, []any{pool, member}}
}

func (p *statusPage) recordCondition(name string) probe {
	return probe{`const r = document.querySelector('tr.record[data-record="' + CSS.escape(arguments[0]) + '"]');
		return r ? r.dataset.condition : 'absent'`, []any{name}}
}

// routePool is the pool the answer map says a route answers with now.
func (p *statusPage) routePool(record, route string) probe {
	return probe{`const r = document.querySelector('tr.route[data-record="' + CSS.escape(arguments[0]) + '"][data-route="' + CSS.escape(arguments[1]) + '"] td.now');
		return r ? r.dataset.pool : 'absent'`, []any{record, route}}
}

// field is a fact of the explain form's result.
func (p *statusPage) field(name string) probe {
	return probe{`const f = document.querySelector('#explain-result [data-field="' + CSS.escape(arguments[0]) + '"]');
		return f ? f.textContent : 'absent'`, []any{name}}
}

func js(script string) probe { return probe{script: script} }

func (p *statusPage) value(t *testing.T, pr probe) string {
	t.Helper()
	var v any
	p.b.eval(t, &v, pr.script, pr.args...)
	return fmt.Sprint(v)
}

// waitFor polls pr every 100ms until it returns want and says how long
// that took, failing the test when it is longer than bound. It polls until
// bound plus 5s, so a late page still reports its real delay.
func (p *statusPage) waitFor(t *testing.T, what string, bound time.Duration, pr probe, want any) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		got := p.value(t, pr)
		took := time.Since(start)
		switch {
		case got == fmt.Sprint(want):
			if took > bound {
				t.Errorf("%s: %q after %v, want within %v", what, got, took, bound)
			}
			return took
		case took > bound+5*time.Second:
			t.Fatalf("%s: still %q after %v, want %q within %v", what, got, took, want, bound)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (p *statusPage) expect(t *testing.T, what string, pr probe, want string) {
	t.Helper()
	if got := p.value(t, pr); got != want {
		t.Errorf("%s: the page shows %q, want %q", what, got, want)
	}
}

// expectText checks that the element css holds exactly text, as text: a
// page that parsed it as markup would show it without its tags and hold
// elements.
func (p *statusPage) expectText(t *testing.T, css, text string) {
	t.Helper()
	var got struct {
		Text     string
		Elements int
	}
	p.b.eval(t, &got, `const e = document.querySelector(arguments[0]);
		return e ? {text: e.textContent, elements: e.querySelectorAll('*').length} : {text: 'absent', elements: 0}`, css)
	if got.Text != text || got.Elements != 0 {
		t.Errorf("%s: the page shows %q with %d elements inside, want the text %q and no element", css, got.Text, got.Elements, text)
	}
}

func (p *statusPage) giveToken(t *testing.T, token string) {
	t.Helper()
	p.b.typeInto(t, "#token", token)
	p.b.click(t, "#token-submit")
}
