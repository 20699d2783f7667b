package fleet

import (
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

const (
	// maxTxnOps is etcd's default --max-txn-ops: a batch of more writes
	// would be refused whole.
	maxTxnOps = 128
	// batchDelay gathers the votes of one event (a site going down flips
	// its members within a probe round) into few transactions.
	batchDelay = 25 * time.Millisecond
)

// write writes own votes after they change, while the store answers; a
// session that is not connected republishes them all when it is again.
func (s *Session) write() {
	defer s.done.Done()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.wake:
		}
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(batchDelay):
		}
		s.mu.Lock()
		connected := s.connected
		s.mu.Unlock()
		if !connected {
			continue
		}
		if err := s.flush(); err != nil && s.ctx.Err() == nil {
			time.AfterFunc(min(time.Second, s.cfg.Lease/4), s.wakeWriter) // the keepalive tells a lost store
		}
	}
}

// republish marks every own vote to be written, and writes them.
func (s *Session) republish() error {
	s.mu.Lock()
	for member, byObs := range s.table.votes {
		if _, own := byObs[s.cfg.Observer]; own && !s.superseded {
			s.dirty[member] = struct{}{}
		}
	}
	s.mu.Unlock()
	return s.flush()
}

// flush writes the votes marked dirty, in transactions of at most
// maxTxnOps, each with the value current when it is taken.
func (s *Session) flush() error {
	for {
		s.mu.Lock()
		cli := s.client
		ops, taken := s.batch()
		s.mu.Unlock()
		if len(ops) == 0 {
			return nil
		}
		ctx, cancel := s.request()
		_, err := cli.Txn(ctx).Then(ops...).Commit()
		cancel()
		if err != nil {
			s.metrics.errors.WithLabelValues("write").Inc()
			s.mu.Lock()
			for _, m := range taken {
				s.dirty[m] = struct{}{}
			}
			s.mu.Unlock()
			return err
		}
		s.metrics.transactions.Inc()
		for _, op := range ops {
			if op.IsDelete() {
				s.metrics.deletes.Inc()
			} else {
				s.metrics.puts.Inc()
			}
		}
	}
}

// batch takes up to maxTxnOps dirty votes as writes: a put under the lease,
// or a delete of a vote no ballot publishes. Called with mu held.
func (s *Session) batch() ([]clientv3.Op, []string) {
	if s.superseded {
		return nil, nil
	}
	var ops []clientv3.Op
	var taken []string
	for member := range s.dirty {
		if len(ops) == maxTxnOps {
			break
		}
		delete(s.dirty, member)
		taken = append(taken, member)
		key := s.keys.vote(member, s.cfg.Observer)
		if v, ok := s.table.votes[member][s.cfg.Observer]; ok {
			ops = append(ops, clientv3.OpPut(key, v.encode(), clientv3.WithLease(s.lease)))
		} else {
			ops = append(ops, clientv3.OpDelete(key))
		}
	}
	return ops, taken
}
