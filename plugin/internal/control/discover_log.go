package control

import (
	"strings"

	"github.com/gslb/gslb/policy"
)

// logMembers says which discovered members came and went, by pool.
func logMembers(old, next *members) {
	for pi, pool := range next.pools {
		was, is := old.pools[pi].Members, pool.Members
		var came, went []string
		for mi, m := range is {
			if !hasMember(was, m) {
				came = append(came, next.names[pi][mi]+" ("+next.origin(pi, mi)+")")
			}
		}
		for mi, m := range was {
			if !hasMember(is, m) {
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

func hasMember(in []policy.Member, m policy.Member) bool {
	for _, o := range in {
		if o.Addr == m.Addr && o.Host == m.Host {
			return true
		}
	}
	return false
}
