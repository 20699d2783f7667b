package healthcheck

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// tlsConfig builds the client TLS config of https and grpc probes. Files are
// read once per prober: a rotated CA or client certificate is picked up when
// the prober is restarted by a reload that changes the check.
func tlsConfig(opts TLS, serverName string) (*tls.Config, error) {
	cfg := &tls.Config{
		ServerName:         serverName, // empty: the dialled host, so IP SANs are verified
		InsecureSkipVerify: opts.SkipVerify,
		MinVersion:         tls.VersionTLS12,
	}
	if opts.CAFile != "" {
		pem, err := os.ReadFile(opts.CAFile)
		if err != nil {
			return nil, &failure{reason: reasonTLS, err: fmt.Errorf("tls_ca: %w", err)}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, failf(reasonTLS, "tls_ca %s: no PEM certificate found", opts.CAFile)
		}
		cfg.RootCAs = pool
	}
	if opts.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(opts.CertFile, opts.KeyFile)
		if err != nil {
			return nil, &failure{reason: reasonTLS, err: fmt.Errorf("tls_cert: %w", err)}
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}
