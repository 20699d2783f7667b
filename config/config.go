// Package config is one gslb stanza as a plain value, and the parser that
// reads it from a Corefile. Every default is applied here, once; the
// packages that take the value trust it.
package config

import (
	"net/netip"
	"time"

	"github.com/coredns/coredns/plugin/pkg/fall"

	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// Defaults of the stanza, its pools, members and records.
const (
	// DefaultTTL is the answer TTL when neither the stanza nor the record
	// sets one.
	DefaultTTL = 30
	// MaxNegativeTTL caps the SOA MINIMUM: a GSLB zone must not be
	// negatively cached for long, or a name added by a reload stays
	// invisible.
	MaxNegativeTTL = 30

	// MinInterval is the shortest check interval: below it a check probes
	// each member more often than a failover could use, and thousands of
	// members would keep a core busy probing.
	MinInterval = 100 * time.Millisecond

	DefaultWeight     = 1 // of a pool and of a member
	DefaultMinHealthy = 1
	DefaultAnswers    = 1
)

// Config is one gslb stanza as parsed from the Corefile. It holds no open
// file: setup opens the GeoIP database it names.
type Config struct {
	Zones      []string // fully qualified, lower case
	TTL        uint32
	ECS        bool // use and echo EDNS Client Subnet
	ECSPrivate bool // use private ECS addresses as the routing key
	// ECSTrust are the networks of the resolvers whose client subnet is
	// used; from any other source it is ignored. Nil: every source.
	ECSTrust []netip.Prefix
	GeoIP    Path // the MaxMind database; Name "" when none
	Override string
	Fall     fall.F
	Store    *Store // the fleet's store; nil: this instance decides alone

	// NameServers are the zones' name server set; empty: the synthesised
	// NameServer(origin), answering with the address a query arrived on.
	NameServers []NS
	SOA         SOA
	// Resolver is the DNS server ("IP:PORT") that host-name members are
	// resolved through; "": the system's, from /etc/resolv.conf.
	Resolver string
	// DNSSEC is the keys answers are signed with; nil: unsigned.
	DNSSEC *DNSSEC
	// Status is the status listener; nil: none.
	Status *Status
	// Services are the HTTPS and SVCB answers of records, by record index.
	Services map[int][]Service

	// Clusters are the Kubernetes API servers pools take members from;
	// Discovery the pools' lines that say which objects, in order.
	Clusters  []Cluster
	Discovery []Discovery

	Checks  []healthcheck.Check
	Pools   []policy.Pool
	Records []policy.Record

	// Warnings are what the stanza says that runs but is likely a
	// mistake, each with its file and line; setup logs them.
	Warnings []error
}

// Path is a file the stanza names and the line that names it, so that a
// failure to read it later still points at the line to fix.
type Path struct {
	Name string
	File string // the Corefile
	Line int
}

// New returns a config with the stanza's defaults.
func New(zones []string) *Config {
	return &Config{Zones: zones, TTL: DefaultTTL, ECS: true, ECSPrivate: true,
		SOA: SOA{Refresh: DefaultRefresh, Retry: DefaultRetry, Expire: DefaultExpire, Minimum: min(DefaultTTL, MaxNegativeTTL)}}
}

// NewPool returns a pool with the defaults of a pool block.
func NewPool(name string) policy.Pool {
	return policy.Pool{Name: name, Weight: DefaultWeight, MinHealthy: DefaultMinHealthy}
}

// NewRecord returns a record with the defaults of a record block.
func NewRecord() policy.Record {
	return policy.Record{Policy: policy.Failover, Answers: DefaultAnswers}
}

// NameServer is the name server name a zone's SOA and NS records carry,
// ns.dns.ZONE: it answers with the address the query arrived on, so no
// record may take it or a name below it.
func NameServer(origin string) string {
	if origin == "." {
		return "ns.dns."
	}
	return "ns.dns." + origin
}
