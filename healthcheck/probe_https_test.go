package healthcheck

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// tlsEcho answers with the SNI and Host header it received.
var tlsEcho = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "sni=%s host=%s", r.TLS.ServerName, r.Host)
})

// tlsCheck is an https check with a timeout that allows for TLS handshakes
// (and a first load of the system roots) under the race detector.
func tlsCheck() Check {
	c := testCheck(HTTPS)
	c.Path, c.Timeout, c.Interval = "/", 2*time.Second, 3*time.Second
	return c
}

// caFileOf writes the certificate of an httptest TLS server to a CA file.
func caFileOf(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	writePEM(t, path, "CERTIFICATE", srv.Certificate().Raw)
	return path
}

func TestHTTPSProbe(t *testing.T) {
	srv := httptest.NewTLSServer(tlsEcho)
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	ca := caFileOf(t, srv)
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		modify func(*Check)
		reason string
	}{
		{name: "verified by default: unknown CA fails", reason: reasonTLS},
		{name: "tls_ca trusts the server", modify: func(c *Check) { c.TLS.CAFile = ca }},
		{name: "tls_skip_verify", modify: func(c *Check) { c.TLS.SkipVerify = true }},
		{name: "host sets SNI and Host header", modify: func(c *Check) {
			c.TLS.CAFile, c.Host = ca, "example.com" // a name in httptest's certificate
			c.Match = regexp.MustCompile(`^sni=example\.com host=example\.com$`)
		}},
		{name: "host not in the certificate", modify: func(c *Check) { c.TLS.CAFile, c.Host = ca, "other.test" }, reason: reasonTLS},
		{name: "skip_verify still sends SNI", modify: func(c *Check) {
			c.TLS.SkipVerify, c.Host = true, "other.test"
			c.Match = regexp.MustCompile(`^sni=other\.test `)
		}},
		{name: "tls_ca that is not PEM", modify: func(c *Check) { c.TLS.CAFile = notPEM }, reason: reasonTLS},
		{name: "tls_ca that does not exist", modify: func(c *Check) { c.TLS.CAFile = notPEM + ".missing" }, reason: reasonTLS},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tlsCheck()
			if tc.modify != nil {
				tc.modify(&c)
			}
			wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), tc.reason)
		})
	}
}

func TestHTTPSProbeToPlainHTTPIsTLSFailure(t *testing.T) {
	srv := httptest.NewServer(tlsEcho)
	t.Cleanup(srv.Close)
	c := tlsCheck()
	c.TLS.SkipVerify = true
	wantReason(t, runProbe(t, Target{Addr: srv.Listener.Addr().String(), Check: c}), reasonTLS)
}

func TestHTTPSProbeClientCertificate(t *testing.T) {
	dir := t.TempDir()
	clientCert, clientKey := certFiles(t, dir, "client")
	pemBytes, err := os.ReadFile(clientCert)
	if err != nil {
		t.Fatal(err)
	}
	clients := x509.NewCertPool()
	clients.AppendCertsFromPEM(pemBytes)

	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "client=%s", r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clients}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()

	c := tlsCheck()
	c.TLS.CAFile = caFileOf(t, srv)
	wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), reasonTLS)

	c.TLS.CertFile, c.TLS.KeyFile = clientCert, clientKey
	c.Match = regexp.MustCompile(`^client=client$`)
	wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), "")

	c.TLS.KeyFile = clientCert // not a key
	wantReason(t, runProbe(t, Target{Addr: addr, Check: c}), reasonTLS)
}
