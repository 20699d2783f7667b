package status

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	clog "github.com/coredns/coredns/plugin/pkg/log"
)

var log = clog.NewWithPlugin("gslb")

// Source is one gslb stanza as the listener shows it.
type Source interface {
	Zones() []string
	Status() Stanza
	Explain(q Query) (Explanation, error)
}

// ErrNotFound is an Explain error for a name outside the source's zones.
var ErrNotFound = errors.New("not found")

// Registry owns the status listeners of a process, one per address.
type Registry struct {
	mu        sync.Mutex
	listeners map[string]*listener
}

// Default is the process-wide registry: its listeners outlive reloads.
var Default = &Registry{listeners: map[string]*listener{}}

// listener is one address's HTTP server and the stanzas it shows.
type listener struct {
	srv     *http.Server
	sources atomic.Pointer[[]Source] // copy on write: requests read it without a lock
	token   atomic.Pointer[string]   // "": no token; the last joined stanza's
}

// Join adds s to the listener of addr, binding it when it is new. token
// ("" for none) is what requests must carry from now on.
func (r *Registry) Join(addr, token string, s Source) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.listeners[addr]
	if l == nil {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("status %s: %w", addr, err)
		}
		l = &listener{}
		l.sources.Store(&[]Source{})
		l.srv = &http.Server{Handler: l.routes(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		go l.srv.Serve(ln)
		r.listeners[addr] = l
		log.Infof("status API and page on http://%s/", ln.Addr())
	}
	l.token.Store(&token)
	l.sources.Store(ptr(append(slices.Clone(*l.sources.Load()), s)))
	return nil
}

// Leave removes s from the listener of addr, closing it when no stanza
// is left.
func (r *Registry) Leave(addr string, s Source) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.listeners[addr]
	if l == nil {
		return
	}
	left := slices.DeleteFunc(slices.Clone(*l.sources.Load()), func(o Source) bool { return o == s })
	l.sources.Store(&left)
	if len(left) == 0 {
		l.srv.Close()
		delete(r.listeners, addr)
	}
}

func ptr[T any](v T) *T { return &v }
