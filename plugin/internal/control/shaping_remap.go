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
		for mi, m := range pool.Members {
			for oi, o := range s.pools[pi].Members {
				if o.Addr == m.Addr && o.Host == m.Host {
					next[pi][mi] = s.members[pi][oi]
					break
				}
			}
		}
	}
	s.pools, s.members = pools, next
}
