package healthcheck

import (
	"strconv"
	"strings"
)

// ParseWord reads one reply line of HAProxy's agent protocol (agent-check):
// the line up to its first '\n' ("\r\n" too), words separated by spaces,
// tabs or commas, in any case, and after a '#' the reason, the rest of the
// line. The words:
//
//	N%                        the weight, 0 to 100, integer or decimal
//	drain                     no new traffic while anything else is up
//	maint, down, fail, stopped down at once
//	up, ready                 lifts an earlier drain or down
//
// Unknown words (maxconn:N and the like) are skipped, as HAProxy does. A
// weight above 100% is taken as 100%: HAProxy allows up to 256% of the
// configured weight, but a Word's weight scales a member down only, so
// more than all of it means all of it. Said is set by a known word only.
func ParseWord(line string) Word {
	w := Word{Weight: -1}
	line, _, _ = strings.Cut(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	line, reason, _ := strings.Cut(line, "#")
	w.Reason = strings.TrimSpace(reason)
	for _, word := range strings.FieldsFunc(line, isWordSeparator) {
		switch strings.ToLower(word) {
		case "drain":
			w.Drain = true
		case "maint", "down", "fail", "stopped":
			w.Down = true
		case "up", "ready":
			w.Up = true
		default:
			weight, ok := parsePercent(word)
			if !ok {
				continue
			}
			w.Weight = weight
		}
		w.Said = true
	}
	return w
}

func isWordSeparator(r rune) bool { return r == ' ' || r == '\t' || r == ',' }

// parsePercent reads N% as a fraction in [0, 1]: digits with at most one
// decimal point, so no sign, exponent, Inf or NaN gets through ParseFloat.
func parsePercent(word string) (float64, bool) {
	num, ok := strings.CutSuffix(word, "%")
	if !ok || num == "" || num == "." || strings.Count(num, ".") > 1 ||
		strings.Trim(num, "0123456789.") != "" {
		return 0, false
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	return min(n, 100) / 100, true
}
