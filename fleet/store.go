package fleet

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// connect returns the session's client, making it on first use. The client
// reconnects by itself; it is made again only if making it failed.
func (s *Session) connect() (*clientv3.Client, error) {
	s.mu.Lock()
	cli := s.client
	s.mu.Unlock()
	if cli != nil {
		return cli, nil
	}
	tlsConfig, err := s.cfg.TLS.Config(s.cfg.Endpoints)
	if err != nil {
		return nil, err
	}
	cli, err = clientv3.New(clientv3.Config{
		Endpoints: s.cfg.Endpoints, DialTimeout: s.cfg.Timeout, TLS: tlsConfig,
		Username: s.cfg.Username, Password: s.cfg.Password,
		Logger: zap.NewNop(), // failures are logged once each, by the session
	})
	if err != nil {
		s.metrics.errors.WithLabelValues("connect").Inc()
		return nil, err
	}
	s.mu.Lock()
	s.client = cli
	s.mu.Unlock()
	return cli, nil
}

// Config reads the TLS files into a client configuration: nil without TLS,
// the system's roots for https endpoints given no CA.
func (t TLS) Config(endpoints []string) (*tls.Config, error) {
	if !t.Enabled() {
		for _, e := range endpoints {
			if strings.HasPrefix(e, "https://") {
				return &tls.Config{MinVersion: tls.VersionTLS12}, nil
			}
		}
		return nil, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("tls: expected a certificate and its key in PEM: %v", err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("tls: %v", err)
		}
		c.RootCAs = x509.NewCertPool()
		if !c.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls: expected PEM certificates in %s", t.CAFile)
		}
	}
	return c, nil
}

func (r registration) encode() string {
	b, _ := json.Marshal(r)
	return string(b)
}

// reset replaces what the session knows of the others with a read of the
// whole prefix, and counts the store as reached.
func (s *Session) reset(kvs []*mvccpb.KeyValue) {
	s.mu.Lock()
	defer s.mu.Unlock()
	own := s.table
	s.table = newTable()
	s.table.setObserver(s.cfg.Observer, own.observers[s.cfg.Observer])
	for member, byObs := range own.votes {
		if v, ok := byObs[s.cfg.Observer]; ok {
			s.table.setVote(member, s.cfg.Observer, v)
		}
	}
	for _, kv := range kvs {
		s.put(kv)
	}
	s.reached()
	select {
	case <-s.synced:
	default:
		close(s.synced)
	}
}

// apply takes watch events in revision order. The echoes of the session's
// own writes change nothing, and tell nobody.
func (s *Session) apply(events []*clientv3.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := false
	for _, ev := range events {
		if ev.Type == clientv3.EventTypeDelete {
			changed = s.remove(ev.Kv) || changed
		} else {
			changed = s.put(ev.Kv) || changed
		}
	}
	if changed {
		s.changed(nil)
	}
}

// put takes one key's value and reports whether it changed the table. The
// session's own keys are not read back: it knows its votes better than
// the store, which may lag behind them.
func (s *Session) put(kv *mvccpb.KeyValue) bool {
	what, name, observer := s.keys.parse(string(kv.Key))
	switch {
	case what == observerKey && name != s.cfg.Observer:
		var reg registration
		if json.Unmarshal(kv.Value, &reg) != nil {
			reg = registration{Observer: name}
		}
		s.table.setObserver(name, reg)
	case what == voteKey && observer != s.cfg.Observer:
		v, err := decodeVote(kv.Value)
		if err != nil {
			s.metrics.errors.WithLabelValues("decode").Inc()
			return false
		}
		s.table.setVote(name, observer, v)
	case what == overridesKey:
		s.table.overrides[name] = Stored{Value: kv.Value, Revision: kv.ModRevision}
	default:
		return false
	}
	return true
}

// remove takes a key's deletion and reports whether it changed the table.
func (s *Session) remove(kv *mvccpb.KeyValue) bool {
	what, name, observer := s.keys.parse(string(kv.Key))
	switch {
	case what == observerKey && name != s.cfg.Observer:
		s.table.deleteObserver(name)
	case what == voteKey && observer != s.cfg.Observer:
		s.table.deleteVote(name, observer)
	case what == overridesKey:
		delete(s.table.overrides, name)
	default:
		return false
	}
	return true
}
