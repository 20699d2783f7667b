package plugin

import (
	"net"
	"strings"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/plugin/internal/control"
	"github.com/gslb/gslb/plugin/internal/status"
	"github.com/gslb/gslb/policy"
)

var allDownNames = map[policy.AllDown]string{policy.AllMembers: "all", policy.FallbackPool: "pool", policy.Fallthrough: "fallthrough", policy.ServFail: "servfail"}

// Zones implements status.Source.
func (g *GSLB) Zones() []string { return g.cfg.Zones }

// Status implements status.Source: the stanza as the snapshot in service
// answers, and the fleet's votes behind it.
func (g *GSLB) Status() status.Stanza {
	s := g.control.Load()
	view, votes := g.control.Fleet()
	st := status.Stanza{Zones: g.cfg.Zones, Compiled: s.Compiled, Records: g.statusRecords(s), Overrides: []status.Override{}}
	for pi, p := range s.Pools {
		st.Pools = append(st.Pools, statusPool(s, pi, p, votes))
	}
	for _, o := range s.Overrides.List() {
		st.Overrides = append(st.Overrides, status.Override{Source: o.Source, Line: o.Line, Op: o.Op, Target: o.Target, Weight: o.Weight})
	}
	if view != nil {
		st.Store = &status.Store{Connected: view.Connected, Usable: view.Usable, Observers: []status.Observer{}}
		for _, o := range view.Observers {
			st.Store.Observers = append(st.Store.Observers, status.Observer{Name: o.Name, Isolated: o.Isolated, Votes: o.Votes})
		}
	}
	return st
}

func (g *GSLB) statusRecords(s *control.Snapshot) []status.Record {
	var out []status.Record
	for i, rec := range g.cfg.Records {
		r := status.Record{Names: rec.Names, Policy: rec.Policy.String(), Pools: rec.Pools, Answers: rec.Answers,
			TTL: rec.TTL, OnAllDown: allDownNames[rec.OnAllDown], AllDown: s.Table.AllDown(i), CNAME: s.Table.Alias(i)}
		if r.TTL == 0 {
			r.TTL = g.cfg.TTL
		}
		if rec.OnAllDown == policy.FallbackPool {
			r.OnAllDown += " " + rec.AllDownPool
		}
		for _, rt := range rec.Routes {
			values := rt.Values
			for _, n := range rt.Nets {
				values = append(values, n.String())
			}
			r.Routes = append(r.Routes, status.Route{Pool: rt.Pool, Kind: rt.Kind.String(), Values: values})
		}
		for _, svc := range g.cfg.Services[i] {
			r.Services = append(r.Services, serviceText(svc))
		}
		out = append(out, r)
	}
	return out
}

// serviceText is a configured service as a zone file writes it.
func serviceText(s config.Service) string {
	rr := service(dns.RR_Header{Name: ".", Rrtype: s.Type, Class: dns.ClassINET}, s, [2][]net.IP{})
	f := strings.Fields(rr.String())
	return strings.Join(f[3:], " ")
}

func statusPool(s *control.Snapshot, pi int, p policy.Pool, votes map[[2]int][]fleet.ObserverVote) status.Pool {
	out := status.Pool{Name: p.Name, Weight: p.Weight, EffectiveWeight: s.Health.Weight(pi), MinHealthy: p.MinHealthy, Checks: p.Checks}
	for mi, m := range p.Members {
		st := s.Health.At(pi, mi)
		mem := status.Member{Member: m.Name(), Weight: m.Weight, State: stateName(st), Factor: st.Factor, Reason: st.Reason, Signals: map[string]float64{}, From: s.Origin(pi, mi)}
		if st.Up && !st.Drained {
			out.Healthy++
		}
		for i, name := range policy.SignalNames {
			mem.Signals[name] = st.Signals.Factor(i)
		}
		switch st.Forced {
		case policy.ForcedUp:
			mem.Forced = "up"
		case policy.ForcedDown:
			mem.Forced = "down"
		}
		for _, a := range s.Health.Addrs(pi, mi) {
			mem.Addresses = append(mem.Addresses, a.String())
		}
		if s.Local != nil {
			l := s.Local.At(pi, mi)
			mem.Local = &status.Verdict{Up: l.Up, Factor: l.Factor, Reason: l.Reason}
		}
		for _, v := range votes[[2]int{pi, mi}] {
			mem.Votes = append(mem.Votes, status.Vote{Observer: v.Observer, State: v.State.String(), Factor: v.Factor, Since: v.Since, Error: v.Error})
		}
		out.Members = append(out.Members, mem)
	}
	return out
}

// stateName is a member's state in one word.
func stateName(st policy.State) string {
	switch {
	case !st.Up:
		return "down"
	case st.Drained:
		return "drained"
	case st.Factor < 1:
		return "degraded"
	}
	return "up"
}
