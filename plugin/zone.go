package plugin

import (
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/config"
)

// zone holds the names of one stanza: which exist and which record answers
// them. It is built once per config and only read afterwards; its maps are
// keyed by configured names, never by queried ones.
type zone struct {
	origins      []string
	records      map[string]int  // name → record index
	wildcards    map[string]int  // the name a wildcard's * stands below → record index
	nonTerminals map[string]bool // names with only descendants
	servers      map[string]*server
	apex         map[string]*apex // by origin
	// synthesised: no ns lines, so ns.dns.ZONE is the zone's name server
	// and answers with the address the query arrived on.
	synthesised bool
}

func newZone(cfg *config.Config) *zone {
	z := &zone{
		origins:      cfg.Zones,
		records:      map[string]int{},
		wildcards:    map[string]int{},
		nonTerminals: map[string]bool{},
		servers:      map[string]*server{},
		apex:         map[string]*apex{},
		synthesised:  len(cfg.NameServers) == 0,
	}
	for i, rec := range cfg.Records {
		for _, name := range rec.Names {
			z.records[name] = i
			if encloser, isWildcard := strings.CutPrefix(name, "*."); isWildcard {
				z.wildcards[encloser] = i
			} else if name == "*." {
				z.wildcards["."] = i
			}
		}
	}
	z.addServers(cfg)
	for name := range z.records {
		z.addNonTerminals(name)
	}
	for name := range z.servers {
		z.addNonTerminals(name)
	}
	for _, origin := range cfg.Zones {
		z.apex[origin] = newApex(cfg, origin, z)
		if z.synthesised {
			z.addNonTerminals(nsName(origin)) // dns.ZONE exists: it has ns.dns.ZONE below it
		}
	}
	return z
}

// addNonTerminals marks every name between name and its zone's origin.
func (z *zone) addNonTerminals(name string) {
	origin := z.origin(name)
	for off, end := dns.NextLabel(name, 0); !end; off, end = dns.NextLabel(name, off) {
		parent := name[off:]
		if len(parent) <= len(origin) {
			return
		}
		_, isRecord := z.records[parent]
		if _, isServer := z.servers[parent]; !isRecord && !isServer {
			z.nonTerminals[parent] = true
		}
	}
}

// origin returns the most specific of the zones that name is in, "" when
// there is none. It finds what plugin.Zones.Matches does, but it runs on
// every query and Matches allocates twice per zone (dns.Split): this tries
// name and then each parent, longest first, at the label boundaries
// dns.NextLabel finds (escaped dots are not boundaries). Names and origins
// are lower case, so comparing strings compares names.
func (z *zone) origin(name string) string {
	for off, end := 0, false; !end; off, end = dns.NextLabel(name, off) {
		if i := slices.Index(z.origins, name[off:]); i >= 0 {
			return z.origins[i]
		}
	}
	if slices.Contains(z.origins, ".") { // the root holds every name
		return "."
	}
	return ""
}

// nsName is the synthesised name server name the zone's SOA and NS records
// carry without ns lines; the parser keeps records off it.
func nsName(origin string) string { return config.NameServer(origin) }

// isNameServer reports whether name is nsName(origin) without building
// that name, which allocates for a long origin: every negative answer asks.
func isNameServer(name, origin string) bool {
	if origin == "." {
		return name == nsName(origin)
	}
	prefix, found := strings.CutSuffix(name, origin)
	return found && prefix == "ns.dns."
}
