// Package signer signs gslb's answers online, for zones that must be
// signed: every RRset of a reply to a query with the DO bit gets its
// RRSIGs, and negative answers prove themselves with compact denial of
// existence (RFC 9824: an NSEC at the query name, "black lies").
//
// gslb's answers are tailored to the client, so they cannot be signed
// ahead of time, and CoreDNS's dnssec plugin cannot sign them: gslb sits
// before it in the chain. Signing is kept off the hot path where it can
// be: a signature of an RRset is reused while it is fresh, from a bounded
// cache keyed by the RRset in canonical order (RFC 4034 §6.3) without its
// TTL, so two orderings of the same members, or a failover's halved TTL,
// share one signature.
//
// Signatures are valid from one hour before they are made (clocks of
// validators run behind) for seven days, and are made again once a day old:
// a served signature has at least six days left. Nothing is kept per
// instance: every instance with the same key signs answers that verify
// with the same DNSKEY.
package signer
