package healthcheck

import (
	"crypto/tls"
	"github.com/gslb/gslb/internal/poll"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// countingListener counts accepted connections.
type countingListener struct {
	net.Listener
	accepted atomic.Int32
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted.Add(1)
	}
	return c, err
}

// grpcBackend serves the standard health service on addr ("127.0.0.1:0" for
// any port): "web" SERVING, "batch" NOT_SERVING.
func grpcBackend(t *testing.T, addr string, opts ...grpc.ServerOption) (*grpc.Server, *countingListener) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	cl := &countingListener{Listener: l}
	srv := grpc.NewServer(opts...)
	hs := health.NewServer()
	hs.SetServingStatus("web", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus("batch", healthpb.HealthCheckResponse_NOT_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	go srv.Serve(cl)
	t.Cleanup(srv.Stop)
	return srv, cl
}

func grpcCheck(service string) Check {
	c := testCheck(GRPC)
	c.Service, c.Timeout, c.Interval = service, time.Second, 2*time.Second
	return c
}

func TestGRPCProbe(t *testing.T) {
	_, l := grpcBackend(t, "127.0.0.1:0")
	addr := l.Addr().String()
	tests := []struct{ service, reason string }{
		{"", ""}, // the server as a whole
		{"web", ""},
		{"batch", reasonNotServing},
		{"unknown", reasonNotServing},
	}
	for _, tc := range tests {
		t.Run("service "+tc.service, func(t *testing.T) {
			wantReason(t, runProbe(t, Target{Addr: addr, Check: grpcCheck(tc.service)}), tc.reason)
		})
	}
}

func TestGRPCProbeWithoutHealthService(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	go srv.Serve(l)
	t.Cleanup(srv.Stop)
	wantReason(t, runProbe(t, Target{Addr: l.Addr().String(), Check: grpcCheck("")}), reasonNotServing)
}

func TestGRPCProbeUnreachable(t *testing.T) {
	wantReason(t, runProbe(t, Target{Addr: closedPort(t, "tcp"), Check: grpcCheck("")}), reasonRefused)
	c := grpcCheck("")
	c.Timeout = 200 * time.Millisecond
	wantReason(t, runProbe(t, Target{Addr: newHungServer(t).Addr().String(), Check: c}), reasonTimeout)
}

func TestGRPCProbeTLS(t *testing.T) {
	certFile, keyFile := certFiles(t, t.TempDir(), "server")
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	_, l := grpcBackend(t, "127.0.0.1:0", grpc.Creds(credentials.NewServerTLSFromCert(&cert)))
	addr := l.Addr().String()

	c := grpcCheck("web")
	c.TLS.CAFile = certFile
	wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), "")
	c.Host = "localhost" // in the certificate: authority and server name
	wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), "")
	c.Host = "other.test"
	wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), reasonTLS)

	other, _ := certFiles(t, t.TempDir(), "other")
	c.Host, c.TLS.CAFile = "", other
	wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), reasonTLS)
}

// The connection is kept while it works, and a restarted backend is seen by
// the first probe after it is back, not after gRPC's reconnect backoff.
func TestGRPCProbeKeepsConnectionAndRecovers(t *testing.T) {
	srv, l := grpcBackend(t, "127.0.0.1:0")
	addr := l.Addr().String()
	target := Target{Addr: addr, Check: grpcCheck("web")}
	p := newProbe(target)
	defer p.close()
	for range 3 {
		wantReason(t, runOnce(p, target.Check.Timeout), "")
	}
	if n := l.accepted.Load(); n != 1 {
		t.Errorf("3 probes opened %d connections, want 1", n)
	}

	srv.Stop()
	poll.Until(t, "probe of a stopped backend fails", 2*time.Second, func() bool { return runOnce(p, target.Check.Timeout) != nil })
	wantReason(t, runOnce(p, target.Check.Timeout), reasonRefused)

	grpcBackend(t, addr)
	wantReason(t, runOnce(p, target.Check.Timeout), "")
}
