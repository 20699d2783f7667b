package fleet

import (
	"context"
	"errors"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// establish makes the session current in the store: a live lease (granted
// anew if the old one expired), the registration and the own votes under
// it (all of them under a new lease, else those not written yet), and the
// others' votes read at one revision, watched from the next. Each request
// has a timeout of its own: a large fleet's votes take many.
func (s *Session) establish() (clientv3.WatchChan, context.CancelFunc, error) {
	cli, err := s.connect()
	if err != nil {
		return nil, nil, err
	}
	lease, renewed, err := s.liveLease(cli)
	if err != nil {
		return nil, nil, err
	}
	if err := s.register(cli, lease); err != nil {
		return nil, nil, err
	}
	if renewed {
		err = s.flush()
	} else {
		err = s.republish()
	}
	if err != nil {
		return nil, nil, err
	}
	kvs, rev, err := s.readAll(cli)
	if err != nil {
		s.metrics.errors.WithLabelValues("read").Inc()
		return nil, nil, err
	}
	s.reset(kvs)
	wctx, wcancel := context.WithCancel(clientv3.WithRequireLeader(s.ctx))
	watch := cli.Watch(wctx, s.cfg.Prefix, clientv3.WithPrefix(), clientv3.WithRev(rev+1))
	return watch, wcancel, nil
}

// register puts the observer's registration under lease; a superseded
// session leaves its successor's in place.
func (s *Session) register(cli *clientv3.Client, lease clientv3.LeaseID) error {
	s.mu.Lock()
	superseded := s.superseded
	s.mu.Unlock()
	if superseded {
		return nil
	}
	reg := registration{Observer: s.cfg.Observer, Started: s.started}
	ctx, cancel := s.request()
	defer cancel()
	if _, err := cli.Put(ctx, s.keys.observer(s.cfg.Observer), reg.encode(), clientv3.WithLease(lease)); err != nil {
		s.metrics.errors.WithLabelValues("write").Inc()
		return err
	}
	return nil
}

// liveLease renews the session's lease, or grants a new one when there is
// none or it expired; renewed says the old one (and so the keys under it)
// lived on.
func (s *Session) liveLease(cli *clientv3.Client) (lease clientv3.LeaseID, renewed bool, err error) {
	ctx, cancel := s.request()
	defer cancel()
	if lease = s.currentLease(); lease != 0 {
		_, err = cli.KeepAliveOnce(ctx, lease)
		if err == nil {
			return lease, true, nil
		}
		if !errors.Is(err, rpctypes.ErrLeaseNotFound) {
			s.metrics.errors.WithLabelValues("keepalive").Inc()
			return 0, false, err
		}
	}
	granted, err := cli.Grant(ctx, int64(s.cfg.Lease/time.Second))
	if err != nil {
		s.metrics.errors.WithLabelValues("lease").Inc()
		return 0, false, err
	}
	s.mu.Lock()
	s.lease = granted.ID
	s.mu.Unlock()
	return granted.ID, false, nil
}

// readPage bounds one read of the prefix: a fleet of 10,000 members and
// three observers is 30,000 keys, 3.5 MiB.
const readPage = 4096

// readAll reads every key under the prefix at one revision, a page per
// request.
func (s *Session) readAll(cli *clientv3.Client) ([]*mvccpb.KeyValue, int64, error) {
	var kvs []*mvccpb.KeyValue
	var rev int64
	from, end := s.cfg.Prefix, clientv3.GetPrefixRangeEnd(s.cfg.Prefix)
	for {
		opts := []clientv3.OpOption{clientv3.WithRange(end), clientv3.WithLimit(readPage)}
		if rev != 0 {
			opts = append(opts, clientv3.WithRev(rev))
		}
		ctx, cancel := s.request()
		resp, err := cli.Get(ctx, from, opts...)
		cancel()
		if err != nil {
			return nil, 0, err
		}
		if rev == 0 {
			rev = resp.Header.Revision
		}
		kvs = append(kvs, resp.Kvs...)
		if !resp.More || len(resp.Kvs) == 0 {
			return kvs, rev, nil
		}
		from = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
}
