package config

import (
	"strconv"
	"strings"
	"time"
)

// seconds reads a time in seconds as zone files write it: a number of
// seconds (7200), or with units as BIND takes them (2h, 30m, 14d, 1w,
// 1h30m).
func (p *parser) seconds(opt string, low, high uint32) (uint32, error) {
	args, err := p.args(1)
	if err != nil {
		return 0, err
	}
	n, ok := parseSeconds(args[0])
	if !ok || n < uint64(low) || n > uint64(high) {
		return 0, p.errf("%s: expected seconds from %d to %d, as a number or with units (2h, 14d, 1w), got %q", opt, low, high, args[0])
	}
	return uint32(n), nil
}

var units = map[byte]uint64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 7 * 86400}

func parseSeconds(s string) (uint64, bool) {
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		return n, true
	}
	s = strings.ToLower(s)
	var total uint64
	for s != "" {
		i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
		if i <= 0 || units[s[i]] == 0 {
			return 0, false
		}
		n, err := strconv.ParseUint(s[:i], 10, 32)
		if err != nil {
			return 0, false
		}
		total += n * units[s[i]]
		if total > uint64(time.Duration(1<<62)/time.Second) {
			return 0, false
		}
		s = s[i+1:]
	}
	return total, true
}
