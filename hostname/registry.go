package hostname

import (
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"
)

// Registry runs one resolver goroutine per distinct (server, name), shared
// by every lease that holds the name: every gslb stanza and, across a
// reload, the old configuration and the new. Results outlive the leases:
// one is kept for a grace period after its last lease is released.
type Registry struct {
	timing
	readSystem func() ([]string, error) // the system's resolvers: systemServers
	system     atomic.Pointer[serverList]

	mu      sync.Mutex
	entries map[key]*entry
}

// serverList is the system's resolvers as read at the latest Acquire of
// server "", or why they could not be read.
type serverList struct {
	servers []string
	err     error
}

// Default is the process-wide registry: resolvers and their results
// outlive CoreDNS reloads.
var Default = NewRegistry()

// NewRegistry returns an empty registry. Nothing runs until Acquire.
func NewRegistry() *Registry {
	return &Registry{timing: defaultTiming, readSystem: systemServers, entries: map[key]*entry{}}
}

// Acquire starts resolving names through server: "" for the system's
// resolvers, read from /etc/resolv.conf now, or an address as ParseServer
// returns it. Names should be fully qualified and in lower case; others are
// resolved in that form all the same, and Lookup takes them as given here.
// Names already resolved through server are joined, not resolved twice.
//
// changed (may be nil) is called from a resolver goroutine whenever the
// Result of one of the lease's names changes, its first one included, but
// not when a re-resolution gives the same answer. It must not block: the
// resolver waits for it, and Release waits for a running call, so it should
// only note the change for another goroutine to act on.
func (r *Registry) Acquire(server string, names []string, changed func()) *Lease {
	server = canonicalServer(server)
	if server == "" && len(names) > 0 {
		r.loadSystem() // before locking: it reads a file
	}
	l := &Lease{r: r, entries: make(map[string]*entry, len(names)), changed: changed, first: make(chan struct{})}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, name := range names {
		k := key{server, dns.CanonicalName(name)}
		e := r.entries[k]
		if e == nil {
			e = newEntry(k)
			r.entries[k] = e
		}
		l.entries[name] = e
		if _, held := e.leases[l]; held {
			continue // another spelling of a name of this lease
		}
		if len(e.leases) == 0 {
			if e.expiry != nil {
				e.expiry.Stop()
				e.expiry = nil
			}
			e.resolver = r.startResolver(e, e.resolver)
		}
		e.leases[l] = struct{}{}
		if !e.resolved {
			l.pending++
		}
	}
	if l.pending == 0 {
		close(l.first)
	}
	return l
}

// Lookup is the last Result of name resolved through server, for health
// probes that dial what the name resolves to. It is false when no lease
// holds the name and none did within the grace period.
func (r *Registry) Lookup(server, name string) (Result, bool) {
	k := key{canonicalServer(server), dns.CanonicalName(name)}
	r.mu.Lock()
	e := r.entries[k]
	r.mu.Unlock()
	if e == nil {
		return Result{}, false
	}
	return *e.result.Load(), true
}

// loadSystem reads the system's resolvers for the resolvers of server "",
// which ask the list read last. An unreadable file keeps the list read
// before: a reload must not lose working resolvers to a passing error.
func (r *Registry) loadSystem() {
	servers, err := r.readSystem()
	if prev := r.system.Load(); err != nil && prev != nil && prev.err == nil {
		log.Warningf("%v; keeping the resolvers read before", err)
		return
	}
	r.system.Store(&serverList{servers, err})
}
