// Package fleet lets several gslb instances reach one health verdict
// through etcd. Each instance is an observer: it registers itself under a
// lease it keeps alive, publishes its own verdict of every member it probes
// (a vote) under the same lease, only when the verdict changes, and watches
// everyone's votes. From the votes of the live observers it tallies, per
// member, how many see it up and down; a stanza's quorum turns a tally into
// the member's effective state. An observer that sees down much of what all
// the others see up is cut off (isolated), and its votes are not counted.
//
// The store is never on the query path: the tallies are an immutable View,
// rebuilt after each change off the query path, which the stanza's
// refresher reads when it compiles answers.
//
// Keys, under the prefix (default /gslb/):
//
//	observers/OBSERVER                          registration, under the lease
//	zones/ZONE/votes/POOL/MEMBER/OBSERVER       a vote, under the lease
//	zones/ZONE/overrides                        the fleet's overrides, written by operators
package fleet
