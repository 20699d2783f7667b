// Package policy chooses pools and members for a GSLB record. Definitions
// come from the Corefile; Compile turns them into an immutable Table that
// queries read without locks.
package policy

import (
	"net/netip"
	"time"
)

// Kind is how a record orders its pools.
type Kind int

// Record policies of docs/design.md §3.
const (
	Failover Kind = iota
	Weighted
	Geo
	Nearest
)

var policyNames = [...]string{Failover: "failover", Weighted: "weighted", Geo: "geo", Nearest: "nearest"}

func (k Kind) String() string { return policyNames[k] }

// Select is how members (and weighted pools) are picked.
type Select int

// Member selection modes.
const (
	Random Select = iota
	Hash          // sticky per client subnet
)

// AllDown is what a record answers when no pool is eligible.
type AllDown int

// on_all_down values.
const (
	AllMembers AllDown = iota // every member, like gdnsd and Route 53
	FallbackPool
	Fallthrough
	ServFail
)

// RouteKind is what a geo route matches on.
type RouteKind int

// Route kinds, in ascending order of specificity.
const (
	Continent RouteKind = iota + 1
	Country
	Subdivision
	ASN
	Net
)

var routeNames = map[RouteKind]string{Net: "net", Country: "country", Continent: "continent", Subdivision: "subdivision", ASN: "asn"}

func (k RouteKind) String() string { return routeNames[k] }

// RouteKindOf returns the route kind named s, or 0 when there is none.
func RouteKindOf(s string) RouteKind {
	for k, name := range routeNames {
		if name == s {
			return k
		}
	}
	return 0
}

// Member is one address of a pool, or one host name (a cloud load
// balancer's) that stands for the addresses it resolves to.
type Member struct {
	Addr netip.Addr // invalid for a host-name member
	// Host is the member's host name, fully qualified and lower case; ""
	// for an address member. Its addresses come from Health.Addrs.
	Host   string
	Weight int
	Probe  string // HOST:PORT probed instead of Addr, empty when Addr itself is probed
}

// Name is how logs and metrics name the member: its address or host name.
func (m Member) Name() string {
	if m.Host != "" {
		return m.Host
	}
	return m.Addr.String()
}

// Location is a point on Earth in degrees.
type Location struct {
	Lat, Lon float64
}

// Pool is a named set of members, usually one site.
type Pool struct {
	Name       string
	Members    []Member
	Checks     []string
	MinHealthy int
	Location   *Location
	Weight     int
	// SlowStart is how long a member coming back up takes to ramp from a
	// small share to its full weight; 0: at once.
	SlowStart time.Duration
}

// Route sends clients matching Values (or Nets) to Pool first.
type Route struct {
	Pool   string
	Kind   RouteKind
	Nets   []netip.Prefix // Kind == Net
	Values []string       // country and continent codes, subdivisions, ASNs as text
}

// Record is one record block: the names it answers and how.
type Record struct {
	Names       []string // fully qualified, lower case
	Policy      Kind
	Pools       []string // priority order
	Routes      []Route
	Answers     int
	Select      Select
	TTL         uint32
	OnAllDown   AllDown
	AllDownPool string // OnAllDown == FallbackPool
	// Flatten answers host-name members with their current addresses; a
	// record without it answers them with a CNAME (family Host).
	Flatten bool
}
