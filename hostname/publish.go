package hostname

import "slices"

// publish makes res e's Result, completes first rounds and tells e's leases
// when it differs from the last one in more than Expires.
func (r *Registry) publish(e *entry, res *Result, out outcome) {
	old := e.result.Load()
	same := res.same(old)
	if slices.Equal(res.Addrs, old.Addrs) {
		res.Addrs = old.Addrs // one copy however often the answer repeats
	}
	e.result.Store(res)
	resolutionsBy[out].Inc()

	var notify []*Lease
	r.mu.Lock()
	first := !e.resolved
	if first {
		e.resolved = true
		for l := range e.leases {
			l.pending--
			if l.pending == 0 {
				close(l.first)
			}
		}
	}
	if !same {
		for l := range e.leases {
			notify = append(notify, l)
		}
	}
	r.mu.Unlock()
	if !same {
		logChange(e.key, old, res, first)
	}
	for _, l := range notify {
		l.notify()
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
