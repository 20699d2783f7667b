package hostname

import (
	"errors"
	"net/netip"
	"sync/atomic"
	"time"
)

// key names an entry: a server as canonicalServer gives it ("" for the
// system's resolvers) and a name as dns.CanonicalName gives it.
type key struct{ server, name string }

// entry is one name resolved through one server: its Result, which outlives
// its resolver for a grace period. The registry keeps who holds it beside
// it (held).
type entry struct {
	key    key
	result atomic.Pointer[Result] // replaced, never modified: read without a lock

	// own is the server to ask, unless key.server is "" (the system's
	// list); ownErr says why key.server is no address to ask.
	own    []string
	ownErr error

	// Touched only by the entry's running resolver: its resolvers run one
	// at a time, each waiting for the one before to end.
	families  [2]family // A and AAAA: see qtypes
	preferred int       // the server that answered last, tried first
}

// family is the last definitive answer for one address family, kept while
// the queries of that family fail.
type family struct {
	answered bool         // some reply said which addresses there are
	addrs    []netip.Addr // what it said, sorted; maybe none
	expires  time.Time
}

// init sets up a new entry in place: the registry owns its memory.
func (e *entry) init(k key) {
	e.key = k
	e.result.Store(pending(k.name))
	if k.server != "" {
		if _, e.ownErr = ParseServer(k.server); e.ownErr == nil {
			e.own = []string{k.server}
		}
	}
}

var errNoSystem = errors.New("system resolvers not read")

// servers are the resolvers e asks, in the order to try them.
func (r *Registry) servers(e *entry) ([]string, error) {
	if e.key.server != "" {
		return e.own, e.ownErr
	}
	list := r.system.Load()
	if list == nil { // not reachable: Acquire reads the list first
		return nil, errNoSystem
	}
	return list.servers, list.err
}
