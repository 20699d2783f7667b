package plugin

import (
	"strings"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/policy"
)

// explain logs, at debug, why a query got its answer: the client address
// used and where it came from, the routes that matched, each pool's state
// in the client's order, and what was answered: the pool and the members
// chosen (from the reply m), NODATA, or the on_all_down action. It takes
// the reply rather than the selection's addresses, which point into the
// caller's stack buffer: passed here, they would move it to the heap on
// every query, debug or not.
func (g *GSLB) explain(q *query, table *policy.Table, rec int, f policy.Family, pool, scope int, outcome policy.Outcome, allDown bool, m *dns.Msg) {
	source := "transport source"
	switch {
	case q.subnet != nil && q.privateScope > 0:
		source = "private ECS " + q.subnet.Prefix.String() + " ignored, transport source"
	case q.subnet != nil && q.subnet.Prefix.Bits() > 0:
		source = "ECS"
	case q.subnet != nil:
		source = "ECS source 0, transport source"
	}
	log.Debugf("%s %s: client %s/%d (%s); %s; %s, scope %d",
		q.req.Question[0].Name, dns.Type(q.qtype), q.client.Addr, q.client.Bits, source,
		table.Explain(rec, f, &q.client), g.action(rec, pool, outcome, allDown, m), q.scope(scope))
}

// action says what a selection answered.
func (g *GSLB) action(rec, pool int, outcome policy.Outcome, allDown bool, m *dns.Msg) string {
	var b strings.Builder
	if allDown {
		b.WriteString("all down, on_all_down " + allDownNames[g.cfg.Records[rec].OnAllDown] + ": ")
	}
	switch {
	case outcome == policy.NoData || (outcome == policy.Answered && m != nil && len(m.Answer) == 0):
		b.WriteString("NODATA: no member of this family")
	case outcome == policy.PassDown:
		b.WriteString("passed to the next plugin")
	case outcome == policy.ServerFailure:
		b.WriteString("SERVFAIL")
	default:
		b.WriteString("answer from pool " + g.cfg.Pools[pool].Name + ":")
		for _, rr := range m.Answer {
			switch rr := rr.(type) {
			case *dns.A:
				b.WriteString(" " + rr.A.String())
			case *dns.AAAA:
				b.WriteString(" " + rr.AAAA.String())
			case *dns.CNAME:
				b.WriteString(" CNAME " + rr.Target)
			}
		}
	}
	return b.String()
}
