package config

import (
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// NS is one name of the zones' NS set: the names the parent
// delegates to. A name in the zone answers A and AAAA with its addresses,
// which NS answers carry as glue.
type NS struct {
	// Name is fully qualified when written so (with the final dot), else
	// relative: the same name in every zone of the stanza.
	Name  string
	Addrs []netip.Addr
}

// In returns the name server's name in zone origin.
func (n NS) In(origin string) string {
	if dns.IsFqdn(n.Name) {
		return n.Name
	}
	if origin == "." {
		return n.Name + "."
	}
	return n.Name + "." + origin
}

// SOA holds the fields of the zones' SOA record. Names are relative or
// fully qualified as NS's; "" takes the default.
type SOA struct {
	MName, RName                    string
	Serial                          uint32 // 0: the time the configuration was loaded
	Refresh, Retry, Expire, Minimum uint32 // seconds; Minimum is the negative-caching TTL
}

// Default SOA timers: what the zone had before they could be set.
const (
	DefaultRefresh = 7200
	DefaultRetry   = 1800
	DefaultExpire  = 86400
)

// NSNames returns the zone's NS names: the configured ones, or the
// synthesised NameServer(origin) when none is configured.
func (cfg *Config) NSNames(origin string) []string {
	if len(cfg.NameServers) == 0 {
		return []string{NameServer(origin)}
	}
	names := make([]string, len(cfg.NameServers))
	for i, ns := range cfg.NameServers {
		names[i] = ns.In(origin)
	}
	return names
}

// MName returns the SOA MNAME of zone origin: the configured one, else
// the first name server.
func (cfg *Config) MName(origin string) string {
	if cfg.SOA.MName != "" {
		return inZone(cfg.SOA.MName, origin)
	}
	return cfg.NSNames(origin)[0]
}

// RName returns the SOA RNAME of zone origin: the configured mailbox,
// else hostmaster in the zone.
func (cfg *Config) RName(origin string) string {
	if cfg.SOA.RName != "" {
		return inZone(cfg.SOA.RName, origin)
	}
	return inZone("hostmaster", origin)
}

// inZone makes a relative name absolute in origin.
func inZone(name, origin string) string {
	if dns.IsFqdn(name) {
		return name
	}
	return strings.TrimSuffix(name+"."+origin, ".") + "."
}
