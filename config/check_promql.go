package config

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gslb/gslb/healthcheck"
)

// promqlOptions are the options of promql checks only.
var promqlOptions = []string{"down_above", "down_below", "shed_above", "shed_below", "stale"}

// promqlProbe parses `promql URL QUERY`: the Prometheus to ask and the
// PromQL instant query, with {pool} and {member} filled in per member.
func (p *parser) promqlProbe(what string, chk *healthcheck.Check, args []string) error {
	u, err := url.Parse(args[0])
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return p.errf("%s: promql: expected a Prometheus URL such as http://127.0.0.1:9090, got %q", what, args[0])
	}
	if strings.TrimSpace(args[1]) == "" {
		return p.errf("%s: promql: expected a PromQL QUERY, got an empty one", what)
	}
	chk.PromQL.URL, chk.PromQL.Query = args[0], args[1]
	return nil
}

// promqlOption parses the value mapping of a promql check: down_above V,
// down_below V (hard limits), shed_above LOW HIGH, shed_below HIGH LOW
// (the factor falls from 1 at the first to 0.1 at the second) and stale D.
func (p *parser) promqlOption(what string, chk *healthcheck.Check) error {
	opt := p.c.Val()
	q := &chk.PromQL
	switch opt {
	case "stale":
		var err error
		q.Stale, err = p.duration(what)
		return err
	case "down_above", "down_below":
		v, err := p.numbers(what, 1)
		if err != nil {
			return err
		}
		l := healthcheck.Limit{On: true, Value: v[0]}
		if opt == "down_above" {
			q.DownAbove = l
		} else {
			q.DownBelow = l
		}
		return nil
	}
	if q.Shed != (healthcheck.Shed{}) {
		return p.errf("%s: %s: a check has one shed band, shed_above or shed_below", what, opt)
	}
	v, err := p.numbers(what, 2)
	if err != nil {
		return err
	}
	if (opt == "shed_above" && v[0] >= v[1]) || (opt == "shed_below" && v[0] <= v[1]) {
		order := map[string]string{"shed_above": "LOW HIGH with LOW below HIGH", "shed_below": "HIGH LOW with HIGH above LOW"}[opt]
		return p.errf("%s: %s: expected %s, got %g %g", what, opt, order, v[0], v[1])
	}
	q.Shed = healthcheck.Shed{Full: v[0], Empty: v[1]}
	return nil
}

// numbers reads exactly n finite numbers.
func (p *parser) numbers(what string, n int) ([]float64, error) {
	opt := p.c.Val()
	args, err := p.args(n)
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	for i, a := range args {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil || f != f || f-f != 0 { // NaN and ±Inf: no value is compared to them
			return nil, p.errf("%s: %s: expected a number such as 0.5 or 85, got %q", what, opt, a)
		}
		out[i] = f
	}
	return out, nil
}

// promqlConsistent keeps the promql options to promql checks, and keeps
// from them what a probe that never fails cannot use.
func (p *parser) promqlConsistent(what string, lines map[string]int, chk *healthcheck.Check) error {
	if chk.Kind != healthcheck.PromQL {
		if opt, line := firstLine(lines, promqlOptions...); line > 0 {
			return p.errAt(line, "%s: %s applies to promql checks only, not %s", what, opt, chk.Kind)
		}
		return nil
	}
	if opt, line := firstLine(lines, "slow", "errors", "source"); line > 0 {
		return p.errAt(line, "%s: %s does not apply to promql checks: a query of Prometheus never fails its member", what, opt)
	}
	q := chk.PromQL
	if q.DownAbove.On && q.DownBelow.On && q.DownBelow.Value >= q.DownAbove.Value {
		line := max(lines["down_above"], lines["down_below"])
		return p.errAt(line, "%s: down_below %g must be below down_above %g, or the member is always down", what, q.DownBelow.Value, q.DownAbove.Value)
	}
	return nil
}
