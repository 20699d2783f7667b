package healthcheck

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/poll"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// replaceFile puts data at path the way a Kubernetes volume update does: a
// new file renamed over the old one.
func replaceFile(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := path + ".new"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, dst, src string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	replaceFile(t, dst, data)
}

func TestTLSLoad(t *testing.T) {
	dir := t.TempDir()
	ca, _ := certFiles(t, dir, "ca")
	cert, key := certFiles(t, dir, "client")
	_, otherKey := certFiles(t, dir, "other")
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	badCert, badKey := filepath.Join(dir, "bad.crt"), filepath.Join(dir, "bad.key")
	writePEM(t, badCert, "CERTIFICATE", []byte("garbage"))
	writePEM(t, badKey, "EC PRIVATE KEY", []byte("garbage"))
	missing := filepath.Join(dir, "missing.pem")

	tests := []struct {
		name string
		opts TLS
		err  string // "" for a config
	}{
		{"skip verify only", TLS{SkipVerify: true}, ""},
		{"ca", TLS{CAFile: ca}, ""},
		{"client certificate", TLS{CertFile: cert, KeyFile: key}, ""},
		{"everything", TLS{CAFile: ca, CertFile: cert, KeyFile: key}, ""},
		{"ca missing", TLS{CAFile: missing}, "tls_ca " + missing + ": no such file or directory"},
		{"ca a directory", TLS{CAFile: dir}, "tls_ca " + dir + ": is a directory"},
		{"ca not PEM", TLS{CAFile: notPEM}, "tls_ca " + notPEM + ": no PEM certificate found"},
		{"ca a key", TLS{CAFile: key}, "tls_ca " + key + ": no PEM certificate found"},
		{"ca that does not parse", TLS{CAFile: badCert}, "tls_ca " + badCert + ": certificate 1 does not parse: "},
		{"cert missing", TLS{CertFile: missing, KeyFile: key}, "tls_cert " + missing + ": no such file or directory"},
		{"cert not PEM", TLS{CertFile: notPEM, KeyFile: key}, "tls_cert " + notPEM + ": no PEM certificate found"},
		{"cert that does not parse", TLS{CertFile: badCert, KeyFile: key}, "tls_cert " + badCert + ": certificate 1 does not parse: "},
		{"key missing", TLS{CertFile: cert, KeyFile: missing}, "tls_cert key " + missing + ": no such file or directory"},
		{"key not PEM", TLS{CertFile: cert, KeyFile: notPEM}, "tls_cert key " + notPEM + ": no PEM private key found"},
		{"key a certificate", TLS{CertFile: cert, KeyFile: cert}, "tls_cert key " + cert + ": no PEM private key found"},
		{"key that does not parse", TLS{CertFile: cert, KeyFile: badKey}, "tls_cert key " + badKey + ": private key does not parse"},
		{"key of another certificate", TLS{CertFile: cert, KeyFile: otherKey}, "tls_cert " + cert + " with key " + otherKey + ": tls: private key does not match public key"},
		{"cert without key", TLS{CertFile: cert}, "tls_cert " + cert + ": no key file given"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := tc.opts.Load()
			if tc.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
					t.Fatalf("Load() error %v, want one starting %q", err, tc.err)
				}
				if cfg != nil {
					t.Errorf("Load() gave a config with its error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Load(): %v", err)
			}
			if cfg.MinVersion != tls.VersionTLS12 || cfg.InsecureSkipVerify != tc.opts.SkipVerify ||
				(cfg.RootCAs != nil) != (tc.opts.CAFile != "") || len(cfg.Certificates) != map[bool]int{true: 1}[tc.opts.CertFile != ""] {
				t.Errorf("Load() = %+v, want TLS 1.2 and up with what %+v gives", cfg, tc.opts)
			}
		})
	}
}

// tlsServer serves https on loopback with the certificate in certFile.
func tlsServer(t *testing.T, certFile, keyFile string, clientCAs *tls.Config) *httptest.Server {
	t.Helper()
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	if clientCAs != nil {
		srv.TLS.ClientAuth, srv.TLS.ClientCAs = tls.RequireAndVerifyClientCert, clientCAs.RootCAs
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// rotatingCheck is an https check that polls its files often, with a
// timeout that allows for handshakes on a loaded machine.
func rotatingCheck() Check {
	c := tlsCheck()
	c.Name, c.Interval, c.Rise, c.Fall = "web", 150*time.Millisecond, 1, 1
	return c
}

// A running prober picks up a rotated CA file; a bad file rotated in keeps
// the previous CA and is logged once; the next good one is read again.
func TestHTTPSProberPicksUpRotatedCA(t *testing.T) {
	logged := captureLog(t)
	dir := t.TempDir()
	serverCert, serverKey := certFiles(t, dir, "server")
	wrongCA, _ := certFiles(t, dir, "wrong")
	srv := tlsServer(t, serverCert, serverKey, nil)
	caFile := filepath.Join(dir, "ca.pem")
	copyFile(t, caFile, wrongCA)

	c := rotatingCheck()
	c.TLS.CAFile = caFile
	target := Target{Addr: srv.Listener.Addr().String(), Check: c}
	onChange, changed := changes()
	r := NewRegistry(4)
	l := r.Acquire([]Target{target}, onChange)
	defer l.Release()
	awaitState(t, l, target, changed, Down, 5*time.Second)
	if s := l.Status(target); !strings.HasPrefix(s.Err, reasonTLS+": ") {
		t.Fatalf("down with %q, want a tls failure", s.Err)
	}
	p := r.set.Worker(l.entries[target.Key()])

	copyFile(t, caFile, serverCert)
	awaitState(t, l, target, changed, Up, 5*time.Second)
	if r.set.Worker(l.entries[target.Key()]) != p || poll.Closed(p.Done()) {
		t.Fatal("prober restarted, want the running one to pick up the file")
	}

	if err := os.WriteFile(caFile, []byte("not a certificate"), 0o600); err != nil { // in place this time
		t.Fatal(err)
	}
	bad := "tls_ca " + caFile + ": no PEM certificate found"
	poll.Until(t, "bad CA logged", 5*time.Second, func() bool { return strings.Contains(logged.String(), bad) })
	time.Sleep(5 * c.Interval) // several polls
	if n := strings.Count(logged.String(), bad); n != 1 {
		t.Errorf("bad CA logged %d times, want once:\n%s", n, logged)
	}
	if s := l.Status(target); s.State != Up {
		t.Fatalf("after a bad CA file: %+v, want up on the previous CA", s)
	}

	copyFile(t, caFile, wrongCA)
	awaitState(t, l, target, changed, Down, 5*time.Second)
}

// A rotated client certificate and key are picked up by a running prober.
func TestHTTPSProberPicksUpRotatedClientCertificate(t *testing.T) {
	dir := t.TempDir()
	serverCert, serverKey := certFiles(t, dir, "server")
	goodCert, goodKey := certFiles(t, dir, "client")
	otherCert, otherKey := certFiles(t, dir, "other")
	clients, err := TLS{CAFile: goodCert}.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv := tlsServer(t, serverCert, serverKey, clients)
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	copyFile(t, certFile, otherCert)
	copyFile(t, keyFile, otherKey)

	c := rotatingCheck()
	c.TLS = TLS{CAFile: serverCert, CertFile: certFile, KeyFile: keyFile}
	target := Target{Addr: srv.Listener.Addr().String(), Check: c}
	onChange, changed := changes()
	l := NewRegistry(4).Acquire([]Target{target}, onChange)
	defer l.Release()
	awaitState(t, l, target, changed, Down, 5*time.Second)

	copyFile(t, keyFile, goodKey) // a moment with a key that does not match
	copyFile(t, certFile, goodCert)
	awaitState(t, l, target, changed, Up, 5*time.Second)
}

// A gRPC probe drops its connection for one with the rotated CA.
func TestGRPCProbePicksUpRotatedCA(t *testing.T) {
	dir := t.TempDir()
	serverCert, serverKey := certFiles(t, dir, "server")
	wrongCA, _ := certFiles(t, dir, "wrong")
	pair, err := tls.LoadX509KeyPair(serverCert, serverKey)
	if err != nil {
		t.Fatal(err)
	}
	_, lis := grpcBackend(t, "127.0.0.1:0", grpc.Creds(credentials.NewServerTLSFromCert(&pair)))
	caFile := filepath.Join(dir, "ca.pem")
	copyFile(t, caFile, wrongCA)

	c := grpcCheck("web")
	c.TLS.CAFile, c.Interval = caFile, 50*time.Millisecond
	target := Target{Addr: lis.Addr().String(), Check: c}
	p := newProbe(target)
	defer p.close()
	wantReason(t, runOnce(p, c.Timeout), reasonTLS)

	copyFile(t, caFile, serverCert)
	poll.Until(t, "probe with the rotated CA succeeds", 5*time.Second, func() bool { return runOnce(p, c.Timeout) == nil })
}

// Probes of one set of TLS files share what is read of them, and look at
// the files at most once per interval, not once per probe.
func TestTLSFilesSharedAndPolledOncePerInterval(t *testing.T) {
	dir := t.TempDir()
	serverCert, serverKey := certFiles(t, dir, "server")
	srv := tlsServer(t, serverCert, serverKey, nil)
	c := tlsCheck()
	c.TLS.CAFile, c.Interval = serverCert, time.Hour
	a := newHTTPProbe(Target{Addr: srv.Listener.Addr().String(), Check: c})
	b := newHTTPProbe(Target{Addr: srv.Listener.Addr().String(), Check: c})
	files := a.tls.files
	if b.tls.files != files {
		t.Fatal("two probes of one set of TLS files read them apart")
	}
	for range 10 {
		wantReason(t, runOnce(a, c.Timeout), "")
		wantReason(t, runOnce(b, c.Timeout), "")
	}
	if n := files.polls.Load(); n != 0 {
		t.Errorf("%d polls of the files within one interval of loading them, want 0", n)
	}

	a.tls.every = time.Millisecond
	time.Sleep(2 * time.Millisecond)
	for range 3 {
		wantReason(t, runOnce(a, c.Timeout), "")
	}
	if n := files.polls.Load(); n < 1 || n > 3 {
		t.Errorf("%d polls in 3 probes a millisecond interval apart or more, want 1 to 3", n)
	}

	a.close()
	b.close()
	tlsShared.Lock()
	_, held := tlsShared.m[c.TLS]
	tlsShared.Unlock()
	if held {
		t.Error("files still held after every probe using them closed")
	}
}
