package hostname

import (
	"sync/atomic"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/leasing"
)

// Registry runs one resolver goroutine per distinct (server, name), shared
// by every lease that holds the name: every gslb stanza and, across a
// reload, the old configuration and the new. Results outlive the leases:
// one is kept for a grace period after its last lease is released.
type Registry struct {
	timing
	readSystem func() ([]string, error) // the system's resolvers: systemServers
	system     atomic.Pointer[serverList]

	set *leasing.Registry[key, entry]
}

// held is an entry as the registry holds it: with its leases and resolver.
type held = leasing.Entry[key, entry]

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
	r := &Registry{timing: defaultTiming, readSystem: systemServers}
	r.set = leasing.New(DefaultGrace, r.keepResolving, nil)
	return r
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
	keys := make([]key, len(names)) // two spellings of a name share its key, and so its entry
	for i, name := range names {
		keys[i] = key{server, dns.CanonicalName(name)}
	}
	lease, at := r.set.Acquire(keys, func(i int, e *entry) { e.init(keys[i]) }, changed)
	l := &Lease{lease: lease, entries: make(map[string]*held, len(names))}
	for i, e := range at {
		l.entries[names[i]] = e
	}
	return l
}

// Lookup is the last Result of name resolved through server, for health
// probes that dial what the name resolves to. It is false when no lease
// holds the name and none did within the grace period.
func (r *Registry) Lookup(server, name string) (Result, bool) {
	k := key{canonicalServer(server), dns.CanonicalName(name)}
	e := r.set.Get(k)
	if e == nil {
		return Result{}, false
	}
	return *e.Val.result.Load(), true
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
