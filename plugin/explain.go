package plugin

import (
	"github.com/miekg/dns"

	"github.com/gslb/gslb/policy"
)

// explain logs, at debug, why a query got its answer: the client address
// used and where it came from, the routes that matched, each pool's state
// in the client's order, and the pool chosen.
func (g *GSLB) explain(q *query, table *policy.Table, rec int, f policy.Family, pool, scope int, allDown bool) {
	source := "transport source"
	switch {
	case q.subnet != nil && q.privateScope > 0:
		source = "private ECS " + q.subnet.Prefix.String() + " ignored, transport source"
	case q.subnet != nil && q.subnet.Prefix.Bits() > 0:
		source = "ECS"
	case q.subnet != nil:
		source = "ECS source 0, transport source"
	}
	chosen := "none"
	if pool >= 0 {
		chosen = g.cfg.Pools[pool].Name
	}
	if allDown {
		chosen += " (all down: on_all_down)"
	}
	log.Debugf("%s %s: client %s/%d (%s); %s; answer from pool %s, scope %d",
		q.req.Question[0].Name, dns.Type(q.qtype), q.client.Addr, q.client.Bits, source,
		table.Explain(rec, f, &q.client), chosen, q.scope(scope))
}
