package config

import (
	"strconv"
	"strings"

	"github.com/gslb/gslb/healthcheck"
)

// maxErrorWindow bounds errors WINDOW: a window is a few minutes of
// probes, and each target keeps one.
const maxErrorWindow = 1000

// errorWindow parses `errors WINDOW [MIN_SUCCESS]`: the success ratio of
// the last WINDOW probes scales the weight, and below MIN_SUCCESS (a ratio
// such as 0.8, or a percentage such as 80%) the member is down.
func (p *parser) errorWindow(what string, chk *healthcheck.Check) error {
	args, err := p.rest()
	if err != nil {
		return err
	}
	if len(args) < 1 || len(args) > 2 {
		return p.errf("%s: errors: expected WINDOW [MIN_SUCCESS], got %d argument(s)", what, len(args))
	}
	n, err := p.parseNumber(what+": errors: WINDOW", args[0], 2, maxErrorWindow)
	if err != nil {
		return err
	}
	chk.ErrorWindow = n
	if len(args) == 2 {
		ratio, ok := parseRatio(args[1])
		if !ok {
			return p.errf("%s: errors: expected MIN_SUCCESS as a ratio above 0 and at most 1 (0.8) or a percentage (80%%), got %q", what, args[1])
		}
		chk.MinSuccess = ratio
	}
	return nil
}

// parseRatio reads 0.8 or 80% as 0.8, in (0, 1].
func parseRatio(s string) (float64, bool) {
	scale := 1.0
	if t, ok := strings.CutSuffix(s, "%"); ok {
		s, scale = t, 100
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f/scale > 1 {
		return 0, false
	}
	return f / scale, true
}
