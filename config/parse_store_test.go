package config

import (
	"os"
	"testing"
	"time"

	"github.com/gslb/gslb/fleet"
)

func TestParseStore(t *testing.T) {
	f := newFiles(t)
	cfg := mustParse(t, f.expand(stanza(`
store etcd http://127.0.0.1:2379 127.0.0.2:2379 https://etcd.example:2379/ {
    prefix /fleet/eu
    observer pod-1
    quorum 2
    lease 15s
    timeout 500ms
    tls {CERT} {KEY} {CA}
    username gslb
    password secret
}`)))
	st := cfg.Store
	if st == nil {
		t.Fatal("no store")
	}
	want := []string{"http://127.0.0.1:2379", "http://127.0.0.2:2379", "https://etcd.example:2379"}
	if len(st.Endpoints) != 3 || st.Endpoints[0] != want[0] || st.Endpoints[1] != want[1] || st.Endpoints[2] != want[2] {
		t.Errorf("endpoints %q, want %q", st.Endpoints, want)
	}
	if st.Prefix != "/fleet/eu/" || st.Observer != "pod-1" || st.Quorum != (fleet.Quorum{Rule: fleet.Count, N: 2}) ||
		st.Lease != 15*time.Second || st.Timeout != 500*time.Millisecond || st.Username != "gslb" || st.Password != "secret" ||
		st.TLS.CertFile != f["{CERT}"] || st.TLS.CAFile != f["{CA}"] {
		t.Errorf("store %+v", st)
	}
}

func TestParseStoreDefaults(t *testing.T) {
	if cfg := mustParse(t, stanza("")); cfg.Store != nil {
		t.Fatalf("a stanza without store has store %+v", cfg.Store)
	}
	st := mustParse(t, stanza("\nstore etcd 127.0.0.1:2379")).Store
	host, _ := os.Hostname()
	if st.Prefix != "/gslb/" || st.Observer != host || st.Quorum.Rule != fleet.Majority ||
		st.Lease != 10*time.Second || st.Timeout != 2*time.Second || st.TLS.Enabled() {
		t.Errorf("defaults %+v, want prefix /gslb/, observer %s, majority, lease 10s, timeout 2s, no TLS", st, host)
	}
	for q, want := range map[string]fleet.Quorum{"any": {Rule: fleet.Any}, "all": {Rule: fleet.All}, "majority": {Rule: fleet.Majority}, "1": {Rule: fleet.Count, N: 1}} {
		if got := mustParse(t, stanza("\nstore etcd 127.0.0.1:2379 {\n    quorum "+q+"\n}")).Store.Quorum; got != want {
			t.Errorf("quorum %s: got %+v", q, got)
		}
	}
	if st := mustParse(t, stanza("\nstore etcd 127.0.0.1:2379 {\n    tls "+newFiles(t)["{CA}"]+"\n}")).Store; st.TLS.CAFile == "" || st.TLS.CertFile != "" {
		t.Errorf("tls CA: %+v", st.TLS)
	}
}

func TestParseStoreErrors(t *testing.T) {
	block := func(lines string) string { return stanza("\nstore etcd 127.0.0.1:2379 {" + lines + "\n}") }
	runErrorCases(t, []errorCase{
		{"no backend", stanza("\nstore # <-"), []string{"store: expected etcd and its endpoints"}},
		{"another backend", stanza("\nstore redis 127.0.0.1:6379 # <-"), []string{"store: expected etcd and its endpoints"}},
		{"no endpoint", stanza("\nstore etcd # <-"), []string{"store etcd: expected one or more endpoints"}},
		{"endpoint without port", stanza("\nstore etcd http://127.0.0.1 # <-"), []string{`expected an endpoint such as http://127.0.0.1:2379`, `got "http://127.0.0.1"`}},
		{"endpoint scheme", stanza("\nstore etcd unix://etcd.sock:1 # <-"), []string{"expected an endpoint such as"}},
		{"endpoint path", stanza("\nstore etcd http://127.0.0.1:2379/v3 # <-"), []string{"expected an endpoint such as"}},
		{"store twice", stanza("\nstore etcd 127.0.0.1:2379\nstore etcd 127.0.0.1:2380 # <-"), []string{`option "store" given twice (first on line 2)`}},
		{"unknown option", block("\n    endpoint 127.0.0.1:2379 # <-"), []string{`store: unknown option "endpoint": expected prefix, observer, quorum, lease, timeout, tls, username or password`}},
		{"option twice", block("\n    lease 10s\n    lease 20s # <-"), []string{`store: option "lease" given twice (first on line 3)`}},
		{"prefix relative", block("\n    prefix gslb # <-"), []string{`store: prefix: expected a path starting with '/'`}},
		{"observer with slash", block("\n    observer eu/1 # <-"), []string{`store: observer: expected an observer name without '/'`}},
		{"observer empty", block("\n    observer # <-"), []string{"store: observer: expected 1 argument(s), got 0"}},
		{"quorum word", block("\n    quorum most # <-"), []string{`store: quorum: expected majority, any, all or a number of down votes from 1 to 1000, got "most"`}},
		{"quorum zero", block("\n    quorum 0 # <-"), []string{`got "0"`}},
		{"lease fraction", block("\n    lease 2500ms # <-"), []string{`store: lease: expected whole seconds from 2s to 1h`}},
		{"lease short", block("\n    lease 1s # <-"), []string{`store: lease: expected whole seconds from 2s to 1h`}},
		{"timeout bad", block("\n    timeout soon # <-"), []string{`store: timeout: expected a positive duration`}},
		{"timeout over a third of the lease", stanza("\nstore etcd 127.0.0.1:2379 { # <-\n    lease 3s\n    timeout 2s\n}"), []string{"store: expected a timeout of at most a third of the lease"}},
		{"username alone", stanza("\nstore etcd 127.0.0.1:2379 { # <-\n    username gslb\n}"), []string{"store: expected username and password together"}},
		{"tls two files", block("\n    tls {CERT} {KEY} # <-"), []string{"store: tls: expected CA, or CERT KEY CA, got 2 argument(s)"}},
		{"tls not pem", block("\n    tls {NOTPEM} # <-"), []string{"store: tls: expected PEM certificates in"}},
		{"tls key mismatch", block("\n    tls {CERT} {OTHERKEY} {CA} # <-"), []string{"store: tls: expected a certificate and its key in PEM"}},
		{"tls missing", block("\n    tls {DIR}/missing.pem # <-"), []string{"store: tls:", "missing.pem"}},
		{"text after block", stanza("\nstore etcd 127.0.0.1:2379 { x # <-\n}"), []string{`store: unknown option "x"`}},
	})
}
