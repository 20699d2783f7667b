package fleet

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Defaults of the store block.
const (
	DefaultPrefix  = "/gslb/"
	DefaultLease   = 10 * time.Second
	DefaultTimeout = 2 * time.Second
)

// Config is how an instance reaches the fleet's store and takes part in its
// verdicts. A plain value: nothing connects until a Registry acquires it.
type Config struct {
	Endpoints []string // URLs: http://HOST:PORT or https://HOST:PORT
	Prefix    string   // ends in '/'
	Observer  string   // this instance's name; no '/'
	Lease     time.Duration
	Timeout   time.Duration // of each request to the store
	TLS       TLS
	Username  string
	Password  string
}

// TLS names the files of a TLS connection to the store: a client
// certificate and key (optional) and the CA that signed the store's.
type TLS struct {
	CertFile, KeyFile, CAFile string
}

// Enabled reports whether TLS was asked for.
func (t TLS) Enabled() bool { return t.CAFile != "" || t.CertFile != "" }

// NewConfig returns the defaults of a store block for endpoints.
func NewConfig(endpoints []string, observer string) Config {
	return Config{Endpoints: endpoints, Prefix: DefaultPrefix, Observer: observer, Lease: DefaultLease, Timeout: DefaultTimeout}
}

// key is every option of a session: stanzas whose store blocks agree on
// every field share one connection, one lease and one registration.
func (c Config) key() string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%v|%s|%s", strings.Join(c.Endpoints, ","), c.Prefix, c.Observer,
		c.Lease, c.Timeout, c.TLS, c.Username, c.Password)
}

// identity is what two sessions of one process must not share: the same
// observer in the same store would overwrite its own keys.
func (c Config) identity() string {
	eps := slices.Clone(c.Endpoints)
	slices.Sort(eps)
	return strings.Join(eps, ",") + "|" + c.Prefix + "|" + c.Observer
}

// Rule is how a quorum counts down votes.
type Rule uint8

// The quorum rules.
const (
	Majority Rule = iota // down when more than half of the voters see it down
	Any                  // down when one voter does
	All                  // down when every voter does
	Count                // down when N voters do (all of them when fewer vote)
)

// Quorum turns a member's tally into its state. It is a stanza's choice:
// stanzas sharing a store may count differently.
type Quorum struct {
	Rule Rule
	N    int // for Count
}

// Down reports whether a member with down of voters' votes down is down.
func (q Quorum) Down(down, voters int) bool {
	if voters == 0 || down == 0 {
		return false
	}
	switch q.Rule {
	case Any:
		return true
	case All:
		return down == voters
	case Count:
		return down >= min(q.N, voters)
	}
	return 2*down > voters
}

func (q Quorum) String() string {
	switch q.Rule {
	case Any:
		return "any"
	case All:
		return "all"
	case Count:
		return strconv.Itoa(q.N)
	}
	return "majority"
}
