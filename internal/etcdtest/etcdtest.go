// Package etcdtest runs a real etcd server for tests, in-process through
// etcd's embed package, on loopback ports of its own. It can be stopped and
// started again on the same data and ports, as an outage of the store.
package etcdtest

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// Server is one etcd member with its data in a test's temporary directory.
type Server struct {
	dir          string
	client, peer url.URL
	tls          transport.TLSInfo // of the client URL; empty for plain http
	etcd         *embed.Etcd       // nil while stopped
}

// Start runs an etcd server and stops it when the test ends.
func Start(t testing.TB) *Server { return start(t, transport.TLSInfo{}) }

// StartTLS runs an etcd server whose clients connect over TLS with the
// server certificate certFile, itself the CA, and must present a client
// certificate it signed.
func StartTLS(t testing.TB, certFile, keyFile string) *Server {
	return start(t, transport.TLSInfo{CertFile: certFile, KeyFile: keyFile, TrustedCAFile: certFile, ClientCertAuth: true})
}

func start(t testing.TB, tls transport.TLSInfo) *Server {
	t.Helper()
	s := &Server{dir: t.TempDir(), tls: tls}
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		s.client, s.peer = freeURL(t), freeURL(t)
		if !tls.Empty() {
			s.client.Scheme = "https"
		}
		if err = s.start(); err == nil || !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	if err != nil {
		t.Fatalf("starting etcd: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// freeURL is a loopback port free now.
func freeURL(t testing.TB) url.URL {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return url.URL{Scheme: "http", Host: ln.Addr().String()}
}

func (s *Server) start() error {
	cfg := embed.NewConfig()
	cfg.Name = "etcdtest"
	cfg.Dir = s.dir
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{s.client}, []url.URL{s.client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{s.peer}, []url.URL{s.peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.ClientTLSInfo = s.tls
	cfg.BcryptCost = 4                                             // the least: a password check at the default cost takes seconds under the race detector
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop()) // its shutdown logs errors that are none
	cfg.UnsafeNoFsync = true                                       // test data: the machine is busy enough
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return err
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		e.Close()
		return fmt.Errorf("etcd on %s not ready within 60s", s.client.Host)
	}
	s.etcd = e
	return nil
}

// Endpoint is the client URL, http://127.0.0.1:PORT (https with TLS).
func (s *Server) Endpoint() string { return s.client.String() }

// Stop shuts the server down; a stopped server stays stopped.
func (s *Server) Stop() {
	if s.etcd == nil {
		return
	}
	s.etcd.Close()
	<-s.etcd.Server.StopNotify()
	s.etcd = nil
}

// Restart starts a stopped server again, with its data, on its ports.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	var err error
	for attempt := 0; attempt < 50; attempt++ { // a port may linger briefly after Stop
		if err = s.start(); err == nil || !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("restarting etcd: %v", err)
	}
}

// Client returns a client of the server, closed when the test ends; over
// TLS it presents the server's certificate.
func (s *Server) Client(t testing.TB) *clientv3.Client {
	t.Helper()
	cfg := clientv3.Config{Endpoints: []string{s.Endpoint()}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()}
	if !s.tls.Empty() {
		tlsConfig, err := s.tls.ClientConfig()
		if err != nil {
			t.Fatal(err)
		}
		cfg.TLS = tlsConfig
	}
	c, err := clientv3.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
