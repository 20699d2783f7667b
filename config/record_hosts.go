package config

import (
	"slices"

	"github.com/gslb/gslb/policy"
)

// hostNames checks how record rec answers host-name members: flattened
// to their addresses, or with a CNAME to one of them. A CNAME stands
// alone at its name (RFC 1034 §3.6.2), so a record that answers one has
// only host-name pools, one answer, no other data and is not an apex.
func (p *parser) hostNames(what string, lines recordLines, rec *policy.Record) error {
	pools := rec.Pools
	if rec.OnAllDown == policy.FallbackPool {
		pools = append(slices.Clone(pools), rec.AllDownPool)
	}
	var hosts, addrs string // a pool of each kind
	discovers := false      // a pool takes members from a cluster: they may be load balancers' host names
	for _, name := range pools {
		i := p.poolIndex(name)
		if i < 0 {
			continue // reported as an unknown pool
		}
		discovers = discovers || p.discovering[name]
		if hostPool(p.cfg.Pools[i]) {
			hosts = name
		} else {
			addrs = name
		}
	}
	if rec.Flatten {
		if hosts == "" && !discovers {
			return p.errAt(lines.flatten, "%s: flatten: no pool of the record has host-name members", what)
		}
		return nil
	}
	switch {
	case hosts == "":
		return nil
	case addrs != "":
		return p.errAt(lines.pools, "%s: pool %q has host-name members, answered with a CNAME, and pool %q addresses: expected flatten, to answer both with addresses", what, hosts, addrs)
	case rec.Answers > 1:
		return p.errAt(lines.record, "%s: answers %d: a CNAME answer has one target: expected flatten to answer with several addresses", what, rec.Answers)
	case lines.services > 0:
		return p.errAt(lines.services, "%s: a CNAME answers every type at its name, HTTPS and SVCB too: expected flatten", what)
	}
	for _, n := range rec.Names {
		if slices.Contains(p.cfg.Zones, n) {
			return p.errAt(lines.record, "%s: %s is the zone's apex, where a CNAME is not allowed beside the SOA and NS: expected flatten", what, n)
		}
	}
	return nil
}

// hostPool reports whether pool's members are host names; the parser
// keeps a pool to one kind.
func hostPool(pool policy.Pool) bool {
	return len(pool.Members) > 0 && pool.Members[0].Host != ""
}
