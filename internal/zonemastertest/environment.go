package zonemastertest

import "net"

// FailLevel is the least severity a message of the zone's fails a run at.
// WARNING, not ERROR: Zonemaster reports name servers that serve different
// SOA serials (CONSISTENCY/MULTIPLE_SOA_SERIALS) as a warning, and a zone
// whose name servers disagree is a broken zone.
const FailLevel = "WARNING"

// Filter names one message the test environment causes, not the zone: a
// run on loopback, offline, under a stand-in root.
type Filter struct {
	Module, Tag string
	// Why the message is the environment's; docs/zonemaster.md says more.
	Why string
	// Applies narrows the filter to the environment's own case; a message
	// with the same tag outside it is the zone's and still fails the run.
	Applies func(Message) bool
}

// Environment lists every message the harness sets aside. Each applies
// only to the test's own name servers, which listen on loopback: the
// same message about any other address is a problem of the zone's.
var Environment = []Filter{
	{"ADDRESS", "NAMESERVER_IP_PRIVATE_NETWORK",
		"the test's name servers listen on loopback, which IANA's special-purpose registry lists as not globally reachable",
		loopbackNS},
	{"ADDRESS", "NAMESERVER_IP_WITHOUT_REVERSE",
		"the stand-in root serves no in-addr.arpa: reverse names belong to the address holder, here the test machine",
		loopbackNS},
	// Zonemaster 4.6.2 reports nothing when no ASN source answers; a later
	// version may say so, and that is the offline machine's, not the zone's.
	{"CONNECTIVITY", "ERROR_ASN_DATABASE",
		"offline there is no ASN database (asnlookup.zonemaster.net) to ask",
		loopbackNS},
	{"CONNECTIVITY", "EMPTY_ASN_SET",
		"no ASN announces loopback: it is never routed",
		loopbackNS},
}

// loopbackNS reports whether the message is about a name server address
// on loopback.
func loopbackNS(m Message) bool {
	ip := net.ParseIP(m.Arg("ns_ip"))
	return ip != nil && ip.IsLoopback()
}

// Tags are the module/tag names of Environment, for reports.
func Tags() []string {
	tags := make([]string, len(Environment))
	for i, f := range Environment {
		tags[i] = f.Module + "/" + f.Tag
	}
	return tags
}

// environmental returns the filter that sets m aside, or nil.
func environmental(m Message) *Filter {
	for i, f := range Environment {
		if f.Module == m.Module && f.Tag == m.Tag && f.Applies(m) {
			return &Environment[i]
		}
	}
	return nil
}

// Classify splits msgs into those the environment causes and the zone's
// problems: the rest at FailLevel or above.
func Classify(msgs []Message) (environment, problems []Message) {
	for _, m := range msgs {
		switch {
		case environmental(m) != nil:
			environment = append(environment, m)
		case m.AtLeast(FailLevel):
			problems = append(problems, m)
		}
	}
	return environment, problems
}
