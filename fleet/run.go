package fleet

import (
	"context"
	"errors"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// errResync ends serving to read the store afresh (a compacted or
// cancelled watch) without counting the store as lost.
var errResync = errors.New("watch ended")

// run keeps the session in the store until stop: it connects, registers,
// republishes and reads everything, then keeps the lease alive and applies
// the watch, starting over after each failure.
func (s *Session) run() {
	defer s.done.Done()
	retry := min(time.Second, s.cfg.Lease/4)
	for {
		watch, cancel, err := s.establish()
		if err == nil {
			err = s.serve(watch)
			cancel()
		}
		if s.ctx.Err() != nil {
			return
		}
		if err != errResync {
			s.lost(err)
			select {
			case <-s.ctx.Done():
				return
			case <-time.After(retry):
			}
		}
	}
}

// establish makes the session current in the store: a live lease (granted
// anew if the old one expired), the registration and every own vote under
// it, and the others' votes read at one revision, watched from the next.
func (s *Session) establish() (clientv3.WatchChan, context.CancelFunc, error) {
	cli, err := s.connect()
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := s.request()
	defer cancel()
	lease := s.currentLease()
	if lease != 0 {
		if _, err := cli.KeepAliveOnce(ctx, lease); errors.Is(err, rpctypes.ErrLeaseNotFound) {
			lease = 0
		} else if err != nil {
			s.metrics.errors.WithLabelValues("keepalive").Inc()
			return nil, nil, err
		}
	}
	if lease == 0 {
		granted, err := cli.Grant(ctx, int64(s.cfg.Lease/time.Second))
		if err != nil {
			s.metrics.errors.WithLabelValues("lease").Inc()
			return nil, nil, err
		}
		lease = granted.ID
		s.mu.Lock()
		s.lease = lease
		s.mu.Unlock()
	}
	reg := registration{Observer: s.cfg.Observer, Started: s.started}
	if _, err := cli.Put(ctx, s.keys.observer(s.cfg.Observer), reg.encode(), clientv3.WithLease(lease)); err != nil {
		s.metrics.errors.WithLabelValues("write").Inc()
		return nil, nil, err
	}
	if err := s.republish(); err != nil {
		return nil, nil, err
	}
	resp, err := cli.Get(ctx, s.cfg.Prefix, clientv3.WithPrefix())
	if err != nil {
		s.metrics.errors.WithLabelValues("read").Inc()
		return nil, nil, err
	}
	s.reset(resp)
	wctx, wcancel := context.WithCancel(clientv3.WithRequireLeader(s.ctx))
	watch := cli.Watch(wctx, s.cfg.Prefix, clientv3.WithPrefix(), clientv3.WithRev(resp.Header.Revision+1))
	return watch, wcancel, nil
}

// serve keeps the lease alive every third of its period and applies the
// watch, until one of them fails or the session stops.
func (s *Session) serve(watch clientv3.WatchChan) error {
	tick := time.NewTicker(s.cfg.Lease / 3)
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return nil
		case <-tick.C:
			if err := s.keepAlive(); err != nil {
				return err
			}
		case resp, ok := <-watch:
			if !ok || resp.Canceled || resp.Err() != nil {
				return errResync
			}
			s.apply(resp.Events)
		}
	}
}

func (s *Session) keepAlive() error {
	s.mu.Lock()
	cli, lease := s.client, s.lease
	s.mu.Unlock()
	ctx, cancel := s.request()
	defer cancel()
	_, err := cli.KeepAliveOnce(ctx, lease)
	if err != nil {
		s.metrics.errors.WithLabelValues("keepalive").Inc()
		if errors.Is(err, rpctypes.ErrLeaseNotFound) {
			s.mu.Lock()
			s.lease = 0
			s.mu.Unlock()
		}
		return err
	}
	return nil
}

// request is the context of one request to the store: bounded by the
// timeout, and cut short when the session stops.
func (s *Session) request() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.ctx, s.cfg.Timeout)
}

func (s *Session) currentLease() clientv3.LeaseID {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lease
}
