// Package hostname resolves the host names of pool members in the
// background and hands out the last result from memory.
//
// Sites behind cloud load balancers are known by a host name (an AWS NLB's,
// say) whose addresses change, not by addresses. gslb answers for them with
// their current addresses or a CNAME, and health-checks what the name
// resolves to; but its query path must never wait for a resolver. So a
// Registry runs one goroutine per distinct (server, name), which asks for A
// and AAAA and asks again when the answer's TTL runs out, and a Lease reads
// the latest Result without a lock, I/O or allocation.
//
// Failures are of two kinds, treated differently on purpose:
//
//   - A definitive answer that the name has no addresses (NXDOMAIN, or
//     NODATA for both A and AAAA) empties the Result, with Err saying so:
//     the name really is gone, and its member is down for that reason.
//   - A failure to get an answer at all (timeout, SERVFAIL, REFUSED, a
//     network error) says nothing about the name, only about the way to the
//     resolver. The last good addresses are kept, marked Stale, and the name
//     is retried with backoff from 1s to 30s. A resolver outage must not
//     empty every pool that uses host names at once, turning a DNS problem
//     into an outage of every such site; the health checks still probe the
//     kept addresses, so a site that did move away fails its checks. Only a
//     name that never had an answer is left without addresses.
//
// A and AAAA each keep their own last definitive answer, so a server that
// fails one family (drops AAAA queries, say) leaves the other usable.
//
// Servers are given as ParseServer returns them: "IP:PORT", or "" for the
// system's resolvers from /etc/resolv.conf, tried in order until one
// answers.
package hostname
