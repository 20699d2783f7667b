package control

import "strings"

// logMembers says which discovered members came and went, by pool.
func logMembers(old, next *members) {
	for pi, pool := range next.pools {
		was, is := old.pools[pi].Members, pool.Members
		wasAt, isAt := positions(was), positions(is)
		var came, went []string
		for mi, m := range is {
			if _, ok := wasAt[idOf(m)]; !ok {
				came = append(came, next.names[pi][mi]+" ("+next.origin(pi, mi)+")")
			}
		}
		for mi, m := range was {
			if _, ok := isAt[idOf(m)]; !ok {
				went = append(went, old.names[pi][mi])
			}
		}
		if len(came) > 0 {
			log.Infof("pool %s: members found: %s", pool.Name, strings.Join(came, ", "))
		}
		if len(went) > 0 {
			log.Infof("pool %s: members gone: %s", pool.Name, strings.Join(went, ", "))
		}
	}
}
