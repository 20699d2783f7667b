package policy

import (
	"math/rand/v2"
	"net"
)

// startIndex picks the first member to answer with: by weight at random,
// or by rendezvous hash of the client's subnet. weights[i] == 0 excludes
// member i. total must be positive.
func startIndex(weights, seeds []uint64, total uint64, sel Select, key uint64) int {
	if sel == Hash {
		best, bestScore := 0, -1.0
		for i, w := range weights {
			if w == 0 {
				continue
			}
			if s := rendezvousScore(key, seeds[i], w); s > bestScore {
				best, bestScore = i, s
			}
		}
		return best
	}
	r := rand.Uint64N(total)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

// pickMembers writes up to n members of m usable at level l into buf: the
// weighted first choice, then the members after it in configured order,
// skipping those with no weight at that level.
func pickMembers(m *members, l level, sel Select, key uint64, n int, buf []net.IP) []net.IP {
	weights, total := m.weights[l], m.total[l]
	out := buf[:0]
	if total == 0 {
		return out
	}
	start := startIndex(weights, m.keys, total, sel, key)
	for i := 0; i < len(m.ips) && len(out) < n; i++ {
		j := start + i
		if j >= len(m.ips) {
			j -= len(m.ips)
		}
		if weights[j] > 0 {
			out = append(out, m.ips[j])
		}
	}
	return out
}
