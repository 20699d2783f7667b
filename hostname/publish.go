package hostname

import "slices"

// publish makes res h's Result, completes first rounds and tells h's leases
// when it differs from the last one in more than Expires.
func (r *Registry) publish(h *held, res *Result, out outcome) {
	e := &h.Val
	old := e.result.Load()
	same := res.same(old)
	if slices.Equal(res.Addrs, old.Addrs) {
		res.Addrs = old.Addrs // one copy however often the answer repeats
	}
	e.result.Store(res)
	resolutionsBy[out].Inc()

	if first := r.set.Report(h, !same); !same {
		logChange(e.key, old, res, first)
	}
}

// logChange logs a name starting or ceasing to fail at info, and any other
// change (its addresses) at debug.
func logChange(k key, old, res *Result, first bool) {
	via := "" // an explicit server is named in Err already
	if k.server == "" {
		via = " (via the system's resolvers)"
	}
	switch {
	case res.Err != "" && res.Err != old.Err && res.Stale:
		log.Infof("%s%s; keeping %v", res.Err, via, res.Addrs)
	case res.Err != "" && res.Err != old.Err:
		log.Infof("%s%s", res.Err, via)
	case res.Err == "" && old.Err != "" && !first:
		log.Infof("host name %s resolves again: %v", display(k.name), res.Addrs)
	default:
		log.Debugf("host name %s resolves to %v", display(k.name), res.Addrs)
	}
}
