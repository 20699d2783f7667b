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
