package hostname

import "time"

// release drops l from its entries and returns the resolvers no lease
// holds any more; their entries expire after the grace period.
func (r *Registry) release(l *Lease) []*resolver {
	r.mu.Lock()
	defer r.mu.Unlock()
	var idle []*resolver
	for _, e := range l.entries {
		if _, held := e.leases[l]; !held {
			continue // another spelling of a name already dropped
		}
		delete(e.leases, l)
		if len(e.leases) == 0 {
			idle = append(idle, e.resolver)
			e.expiry = time.AfterFunc(r.grace, func() { r.expire(e) })
		}
	}
	if l.pending > 0 {
		l.pending = 0
		close(l.first) // nobody waits on a lease that is gone
	}
	return idle
}

// expire drops an entry no lease re-acquired within the grace period.
func (r *Registry) expire(e *entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.entries[e.key] == e && len(e.leases) == 0 {
		delete(r.entries, e.key)
	}
}
