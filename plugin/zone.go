package plugin

import (
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/config"
)

// zone holds the names of one stanza: which exist and which record answers
// them. It is built once per config and only read afterwards; its maps are
// keyed by configured names, never by queried ones.
type zone struct {
	origins      []string
	records      map[string]int  // name → record index
	nonTerminals map[string]bool // names with only descendants
	soa          map[string]*dns.SOA
	negativeTTL  uint32
}

func newZone(cfg *config.Config) *zone {
	z := &zone{
		origins:      cfg.Zones,
		records:      map[string]int{},
		nonTerminals: map[string]bool{},
		soa:          map[string]*dns.SOA{},
		negativeTTL:  min(cfg.TTL, config.MaxNegativeTTL),
	}
	for i, rec := range cfg.Records {
		for _, name := range rec.Names {
			z.records[name] = i
		}
	}
	for name := range z.records {
		z.addNonTerminals(name)
	}
	for _, origin := range cfg.Zones {
		z.soa[origin] = z.newSOA(origin)
		z.addNonTerminals(nsName(origin)) // dns.ZONE exists: it has ns.dns.ZONE below it
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
		if _, isRecord := z.records[parent]; !isRecord {
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

// nsName is the name server name the zone's SOA and NS records carry; the
// parser keeps records off it.
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

// newSOA synthesises the zone's SOA. MINIMUM (the negative caching TTL) is
// short, so that a name a reload adds becomes visible quickly.
func (z *zone) newSOA(origin string) *dns.SOA {
	mbox := "hostmaster." + origin
	if origin == "." {
		mbox = "hostmaster."
	}
	return &dns.SOA{
		Hdr:     dns.RR_Header{Name: origin, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: z.negativeTTL},
		Ns:      nsName(origin),
		Mbox:    mbox,
		Serial:  uint32(time.Now().Unix()), // changes with every config load
		Refresh: 7200,
		Retry:   1800,
		Expire:  86400,
		Minttl:  z.negativeTTL,
	}
}
