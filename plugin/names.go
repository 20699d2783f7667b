package plugin

import "github.com/miekg/dns"

// nameKind is what a name in a stanza's zone is, as lookup finds it.
type nameKind uint8

const (
	noName      nameKind = iota // nothing here or below: NXDOMAIN
	recordName                  // a record's, exact or by wildcard
	apexName                    // the origin, without a record
	serverName                  // an in-zone name server with its glue
	localServer                 // the synthesised ns.dns.ZONE
	emptyName                   // an empty non-terminal: NODATA
)

// lookup says what qname is in zone origin and, for a record's name, which
// record answers it. An exact name wins over a wildcard; a wildcard
// answers a name only below its closest encloser (RFC 4592 §3.3.1): the
// nearest existing ancestor of qname must be the name the * stands below.
// A record's own name, nearly every query, is found inline.
func (z *zone) lookup(qname, origin string) (nameKind, int) {
	if rec, ok := z.records[qname]; ok {
		return recordName, rec
	}
	return z.lookupOther(qname, origin)
}

// lookupOther is lookup for a name that is no record's own. Out of line:
// the wildcard walk is not in serveZone's frame.
//
//go:noinline
func (z *zone) lookupOther(qname, origin string) (nameKind, int) {
	if kind := z.kind(qname, origin); kind != noName || len(z.wildcards) == 0 {
		return kind, -1
	}
	for off, end := dns.NextLabel(qname, 0); !end; off, end = dns.NextLabel(qname, off) {
		parent := qname[off:]
		if len(parent) < len(origin) {
			break
		}
		if _, ok := z.records[parent]; !ok && z.kind(parent, origin) == noName {
			continue
		}
		if rec, ok := z.wildcards[parent]; ok {
			return recordName, rec
		}
		break
	}
	return noName, -1
}

// kind says what a name without a record of its own is.
func (z *zone) kind(name, origin string) nameKind {
	switch {
	case name == origin:
		return apexName
	case z.servers[name] != nil:
		return serverName
	case z.nonTerminals[name]:
		return emptyName
	case z.synthesised && isNameServer(name, origin):
		return localServer
	}
	return noName
}
