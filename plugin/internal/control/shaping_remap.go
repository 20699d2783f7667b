package control

import "github.com/gslb/gslb/policy"

// remap moves what the shaper knows of each member to its position among
// pools, the members that replace those it was shaping: a member that stays
// goes on stepping or ramping where it was; a new one starts as at the
// first compile.
func (s *shaper) remap(pools []policy.Pool) {
	next := make([][]shaped, len(pools))
	for pi, pool := range pools {
		next[pi] = make([]shaped, len(pool.Members))
		was := positions(s.pools[pi].Members)
		for mi, m := range pool.Members {
			if oi, ok := was[idOf(m)]; ok {
				next[pi][mi] = s.members[pi][oi]
			}
		}
	}
	s.pools, s.members = pools, next
}
