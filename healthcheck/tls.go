package healthcheck

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gslb/gslb/internal/filewatch"
)

// Load reads and checks the files of t (tls_ca, and tls_cert with its key)
// and returns the client TLS config they make, ServerName unset. The
// Corefile parser calls it so that a file that is missing, unreadable or
// not what it should be fails the start; probers build their configs the
// same way. Its error names the option, the file and what is wrong, e.g.
// "tls_ca /etc/ca.pem: no PEM certificate found".
func (t TLS) Load() (*tls.Config, error) {
	var files [numTLSFiles][]byte
	for i, path := range t.paths() {
		if path == "" {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fileError(tlsFileNames[i], path, err)
		}
		files[i] = data
	}
	return t.build(files)
}

// The files of a TLS, in the order paths gives them.
const (
	tlsCA = iota
	tlsCert
	tlsKey
	numTLSFiles
)

// tlsFileNames are how errors name each file: as the Corefile option.
var tlsFileNames = [numTLSFiles]string{"tls_ca", "tls_cert", "tls_cert key"}

func (t TLS) paths() [numTLSFiles]string { return [...]string{t.CAFile, t.CertFile, t.KeyFile} }

// fileError names a file that could not be read, without the path twice:
// "tls_ca /etc/ca.pem: no such file or directory".
func fileError(option, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s %s: %w", option, path, err)
}

// build makes the client config of t from the contents of its files.
func (t TLS) build(files [numTLSFiles][]byte) (*tls.Config, error) {
	cfg := &tls.Config{InsecureSkipVerify: t.SkipVerify, MinVersion: tls.VersionTLS12}
	if t.CAFile != "" {
		certs, err := parseCertificates(files[tlsCA])
		if err != nil {
			return nil, fmt.Errorf("tls_ca %s: %w", t.CAFile, err)
		}
		cfg.RootCAs = x509.NewCertPool()
		for _, c := range certs {
			cfg.RootCAs.AddCert(c)
		}
	}
	if t.CertFile != "" || t.KeyFile != "" {
		if t.KeyFile == "" {
			return nil, fmt.Errorf("tls_cert %s: no key file given", t.CertFile)
		}
		if _, err := parseCertificates(files[tlsCert]); err != nil {
			return nil, fmt.Errorf("tls_cert %s: %w", t.CertFile, err)
		}
		if err := checkPrivateKey(files[tlsKey]); err != nil {
			return nil, fmt.Errorf("tls_cert key %s: %w", t.KeyFile, err)
		}
		pair, err := tls.X509KeyPair(files[tlsCert], files[tlsKey])
		if err != nil { // both parse, so they do not belong together
			return nil, fmt.Errorf("tls_cert %s with key %s: %w", t.CertFile, t.KeyFile, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// parseCertificates returns the CERTIFICATE blocks of a PEM file, each of
// which must parse: x509.CertPool.AppendCertsFromPEM would skip a broken
// one and leave a CA bundle short without a word.
func parseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d does not parse: %w", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no PEM certificate found")
	}
	return certs, nil
}

// checkPrivateKey checks that data holds a private key crypto/tls can use,
// as tls.X509KeyPair looks for it, so that its error can name the key file.
func checkPrivateKey(data []byte) error {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return errors.New("no PEM private key found")
		}
		if block.Type != "PRIVATE KEY" && !strings.HasSuffix(block.Type, " PRIVATE KEY") {
			continue
		}
		if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
			return nil
		}
		if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
			return nil
		}
		if _, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
			return nil
		}
		return fmt.Errorf("private key does not parse (%s)", block.Type)
	}
}

// tlsFiles is what is read of one set of TLS options, shared by every
// probe that uses them: a CA bundle is parsed once, not once per member,
// and the files are looked at once per interval however many members
// there are.
type tlsFiles struct {
	opts    TLS
	watched bool // there are files to look at
	refs    int  // probes holding it; guarded by tlsShared

	// cur is the config probes use: the last good one, or while none has
	// been good, why.
	cur atomic.Pointer[tlsState]
	// lastPoll is when the files were last looked at, since tlsEpoch: the
	// probe that moves it polls, the others read cur meanwhile.
	lastPoll atomic.Int64
	polls    atomic.Int64 // for tests

	mu      sync.Mutex // serialises polls; guards files and lastBad
	files   [numTLSFiles]watchedFile
	lastBad string // the failed reload last logged, so a file written in pieces is logged once
}

// tlsState is a config, or why there is none.
type tlsState struct {
	cfg *tls.Config
	err error // a *failure with reason tls
}

// watchedFile is one file as last read. It is polled the way package
// internal/filewatch polls the GeoIP and override files: a stat, and a
// read only when the stat moved.
type watchedFile struct {
	path   string
	stamp  filewatch.Identity // of the content in data; zero after an error
	data   []byte
	failed string // the error last reported, so it is reported once
}

// refresh stats the file and reads it when its stamp moved; it reports
// whether the content changed. An error (the file is gone or unreadable)
// keeps data, and is returned only when it is not the one returned last.
func (w *watchedFile) refresh() (changed bool, err error) {
	fi, err := os.Stat(w.path) // follows the link a Secret or ConfigMap update swaps
	if err == nil {
		st := filewatch.IdentityOf(fi)
		if st == w.stamp {
			return false, nil
		}
		var data []byte
		if data, err = os.ReadFile(w.path); err == nil {
			// The stat before the read: a file being written is read again
			// once the writer moves its size or times.
			w.stamp, w.failed = st, ""
			changed = !bytes.Equal(data, w.data)
			w.data = data
			return changed, nil
		}
	}
	w.stamp = filewatch.Identity{}
	if err.Error() == w.failed {
		return false, nil
	}
	w.failed = err.Error()
	return false, err
}

var tlsEpoch = time.Now()

// tlsShared holds the tlsFiles in use, by options.
var tlsShared = struct {
	sync.Mutex
	m map[TLS]*tlsFiles
}{m: map[TLS]*tlsFiles{}}

// acquireTLS returns the shared files of opts, read now if no probe holds
// them: a new prober reads its files as it starts.
func acquireTLS(opts TLS) *tlsFiles {
	tlsShared.Lock()
	defer tlsShared.Unlock()
	f := tlsShared.m[opts]
	if f == nil {
		f = newTLSFiles(opts)
		tlsShared.m[opts] = f
	}
	f.refs++
	return f
}

// release drops a probe's hold; the last one forgets the files.
func (f *tlsFiles) release() {
	tlsShared.Lock()
	defer tlsShared.Unlock()
	if f.refs--; f.refs == 0 {
		delete(tlsShared.m, f.opts)
	}
}

// newTLSFiles reads the files of opts. An error is not logged: every probe
// reports it, and so does the state change it causes.
func newTLSFiles(opts TLS) *tlsFiles {
	f := &tlsFiles{opts: opts}
	var readErr error
	for i, path := range opts.paths() {
		if path == "" {
			continue
		}
		f.watched = true
		f.files[i].path = path
		if _, err := f.files[i].refresh(); err != nil && readErr == nil {
			readErr = fileError(tlsFileNames[i], path, err)
		}
	}
	if readErr != nil {
		f.cur.Store(&tlsState{err: &failure{reason: reasonTLS, err: readErr}})
	} else if cfg, err := opts.build(f.contents()); err != nil {
		f.cur.Store(&tlsState{err: &failure{reason: reasonTLS, err: err}})
	} else {
		f.cur.Store(&tlsState{cfg: cfg})
	}
	f.lastPoll.Store(int64(time.Since(tlsEpoch)))
	return f
}

func (f *tlsFiles) contents() [numTLSFiles][]byte {
	var c [numTLSFiles][]byte
	for i := range f.files {
		c[i] = f.files[i].data
	}
	return c
}

// state is the config to use now, after a look at the files if the last
// one is every or more ago: a stat of each file at most once per interval,
// whatever the number of probes.
func (f *tlsFiles) state(every time.Duration) *tlsState {
	if f.watched {
		now, last := int64(time.Since(tlsEpoch)), f.lastPoll.Load()
		if now-last >= int64(every) && f.lastPoll.CompareAndSwap(last, now) {
			f.poll()
		}
	}
	return f.cur.Load()
}

// poll refreshes the files and builds a new config when one changed. A
// file that cannot be read keeps what was last read of it; a config that
// cannot be built keeps the previous one. Either is logged once: refresh
// returns an error once, and a content is built once.
func (f *tlsFiles) poll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.polls.Add(1)
	changed := false
	for i := range f.files {
		if f.files[i].path == "" {
			continue
		}
		c, err := f.files[i].refresh()
		if err != nil {
			f.keep(fileError(tlsFileNames[i], f.files[i].path, err))
		}
		changed = changed || c
	}
	if !changed {
		return
	}
	cfg, err := f.opts.build(f.contents())
	if err != nil {
		f.keep(err)
		return
	}
	f.cur.Store(&tlsState{cfg: cfg})
	f.lastBad = ""
	log.Infof("tls files reloaded: %s", f.describe())
}

// keep logs a failed reload, unless it is the failure logged last: a file
// replaced by a writer that truncates and then writes is seen empty, then
// whole, and both fail the same way. Without a good config yet, probes
// report err from now on instead of the first load's error.
func (f *tlsFiles) keep(err error) {
	if f.cur.Load().cfg == nil {
		f.cur.Store(&tlsState{err: &failure{reason: reasonTLS, err: err}})
	}
	if err.Error() == f.lastBad {
		return
	}
	f.lastBad = err.Error()
	if f.cur.Load().cfg == nil {
		log.Errorf("%v", err)
		return
	}
	log.Errorf("%v; keeping the tls files read before", err)
}

func (f *tlsFiles) describe() string {
	var parts []string
	for i, path := range f.opts.paths() {
		if path != "" {
			parts = append(parts, tlsFileNames[i]+" "+path)
		}
	}
	return strings.Join(parts, ", ")
}

// tlsClient is one probe's view of shared TLS files: their config with the
// probe's server name, made again when the files' config changes.
type tlsClient struct {
	files      *tlsFiles
	every      time.Duration // the check's interval: how often the files are looked at
	serverName string
	from       *tlsState   // the state cfg was made from
	cfg        *tls.Config // from.cfg with serverName
	closed     bool
}

func newTLSClient(c Check, serverName string) *tlsClient {
	return &tlsClient{files: acquireTLS(c.TLS), every: c.every(), serverName: serverName}
}

// config returns the config for the next handshake, and whether it is
// another than the last call's (a gRPC probe then dials anew).
func (c *tlsClient) config() (cfg *tls.Config, changed bool, err error) {
	s := c.files.state(c.every)
	if s != c.from {
		c.from, c.cfg, changed = s, nil, true
		if s.cfg != nil {
			c.cfg = s.cfg.Clone()
			c.cfg.ServerName = c.serverName // empty: the dialled host, so IP SANs are verified
		}
	}
	if c.cfg == nil {
		return nil, changed, s.err
	}
	return c.cfg, changed, nil
}

func (c *tlsClient) close() {
	if !c.closed {
		c.closed = true
		c.files.release()
	}
}
