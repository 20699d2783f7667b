package healthcheck

import (
	"context"
	"net"
	"net/netip"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/gslb/gslb/healthcheck/internal/dial"
)

// grpcProbe calls grpc.health.v1.Health/Check; healthy iff SERVING. The
// connection is kept between probes while it works, and while its TLS
// files stay as they were.
type grpcProbe struct {
	addr    string
	service string
	opts    []grpc.DialOption // all but the transport credentials
	creds   credentials.TransportCredentials
	tls     *tlsClient // nil without TLS
	conn    *grpc.ClientConn
	err     error // why the probe cannot run (a source of the other family); reported by every call
}

func newGRPCProbe(t Target) *grpcProbe {
	c := t.Check
	p := &grpcProbe{addr: t.Addr, service: c.Service, creds: insecure.NewCredentials()}
	if c.TLS.Enabled() {
		p.tls = newTLSClient(c, c.Host) // no host: gRPC verifies the dialled one
	}
	p.opts = []grpc.DialOption{
		grpc.WithUserAgent(userAgent),
		// A hung connect attempt is given up after one timeout, not gRPC's 20s.
		grpc.WithConnectParams(grpc.ConnectParams{Backoff: backoff.DefaultConfig, MinConnectTimeout: c.Timeout}),
	}
	if c.Host != "" {
		p.opts = append(p.opts, grpc.WithAuthority(c.Host))
	}
	if c.Source.IsValid() {
		p.opts = append(p.opts, grpc.WithContextDialer(sourceDialer(c.Source)))
		if err := dial.CheckSource(t.Addr, c.Source); err != nil {
			p.err = &failure{reason: reasonError, err: err}
		}
	}
	return p
}

// sourceDialer is gRPC's dialer with connections bound to source. Keepalive
// is as gRPC's own dialer sets it: on, with the system's timings.
func sourceDialer(source netip.Addr) func(context.Context, string) (net.Conn, error) {
	nd := net.Dialer{
		LocalAddr:       dial.LocalAddr("tcp", source),
		KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: -1, Interval: -1, Count: -1},
	}
	return func(ctx context.Context, addr string) (net.Conn, error) {
		conn, err := nd.DialContext(ctx, "tcp", addr)
		return conn, dial.ExplainSource(err, addr, source)
	}
}

func (p *grpcProbe) run(ctx context.Context) error {
	if p.err != nil {
		return p.err
	}
	if p.tls != nil {
		cfg, changed, err := p.tls.config()
		if err != nil {
			return err
		}
		if changed { // rotated files: the kept connection was made with the old ones
			p.closeConn()
			p.creds = credentials.NewTLS(cfg)
		}
	}
	// gRPC keeps a failed channel in TRANSIENT_FAILURE and retries on its own
	// backoff (up to 2 minutes); a fresh channel per probe while failing makes
	// each probe one real connection attempt, so a recovery is seen at once.
	if p.conn == nil || p.conn.GetState() == connectivity.TransientFailure {
		p.closeConn()
		opts := append(p.opts[:len(p.opts):len(p.opts)], grpc.WithTransportCredentials(p.creds))
		conn, err := grpc.NewClient("passthrough:///"+p.addr, opts...)
		if err != nil {
			return &failure{reason: reasonError, err: err}
		}
		p.conn = conn
	}
	resp, err := healthpb.NewHealthClient(p.conn).Check(ctx, &healthpb.HealthCheckRequest{Service: p.service})
	if err != nil {
		if status.Code(err) == codes.Unavailable {
			// The channel may be in a retry of its own, started before the
			// backend came back, by the next probe: a fresh one then.
			p.closeConn()
		}
		return grpcFailure(ctx, err)
	}
	if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return failf(reasonNotServing, "service %q is %s", p.service, resp.GetStatus())
	}
	return nil
}

// grpcFailure gives a gRPC error its reason. gRPC flattens transport errors
// into the status message, so refusals and TLS failures are told by text.
func grpcFailure(ctx context.Context, err error) error {
	st := status.Convert(err)
	msg := st.Message()
	switch {
	case st.Code() == codes.NotFound:
		return failf(reasonNotServing, "service unknown to the server: %s", msg)
	case st.Code() == codes.Unimplemented:
		return failf(reasonNotServing, "no grpc.health.v1 service: %s", msg)
	case strings.Contains(msg, "connection refused"):
		return &failure{reason: reasonRefused, err: err}
	case st.Code() == codes.DeadlineExceeded || ctx.Err() != nil:
		return &failure{reason: reasonTimeout, err: err}
	case strings.Contains(msg, "handshake") || strings.Contains(msg, "x509") || strings.Contains(msg, "tls:"):
		return &failure{reason: reasonTLS, err: err}
	}
	return &failure{reason: reasonError, err: err}
}

func (p *grpcProbe) closeConn() {
	if p.conn != nil {
		p.conn.Close()
		p.conn = nil
	}
}

func (p *grpcProbe) close() {
	p.closeConn()
	if p.tls != nil {
		p.tls.close()
	}
}
