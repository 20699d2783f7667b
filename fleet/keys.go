package fleet

import "strings"

// keys lays out a session's keys under its prefix (see the package doc).
type keys struct{ prefix string }

func (k keys) observer(name string) string { return k.prefix + "observers/" + name }

func (k keys) vote(member, observer string) string {
	zone, rest, _ := strings.Cut(member, "/")
	return k.prefix + "zones/" + zone + "/votes/" + rest + "/" + observer
}

func (k keys) overrides(zone string) string { return OverridesKey(k.prefix, zone) }

// OverridesKey is the key of a zone's fleet-wide overrides under prefix:
// the one an operator writes to drain a site on every instance at once.
func OverridesKey(prefix, zone string) string { return prefix + "zones/" + zone + "/overrides" }

// MemberKey names a member across the fleet: its stanza's zone, its pool
// and its address. Every instance serving the zone names it alike.
func MemberKey(zone, pool, member string) string { return zone + "/" + pool + "/" + member }

// kind is what a key under the prefix holds.
type kind uint8

const (
	otherKey kind = iota
	observerKey
	voteKey
	overridesKey
)

// parse tells what key holds: for an observer its name; for a vote the
// member key and the observer; for overrides the zone.
func (k keys) parse(key string) (what kind, name, observer string) {
	rest, ok := strings.CutPrefix(key, k.prefix)
	if !ok {
		return otherKey, "", ""
	}
	if name, ok := strings.CutPrefix(rest, "observers/"); ok && name != "" && !strings.Contains(name, "/") {
		return observerKey, name, ""
	}
	rest, ok = strings.CutPrefix(rest, "zones/")
	if !ok {
		return otherKey, "", ""
	}
	zone, rest, ok := strings.Cut(rest, "/")
	if !ok || zone == "" {
		return otherKey, "", ""
	}
	if rest == "overrides" {
		return overridesKey, zone, ""
	}
	rest, ok = strings.CutPrefix(rest, "votes/")
	i := strings.LastIndexByte(rest, '/')
	if !ok || i <= 0 || i == len(rest)-1 || strings.Count(rest[:i], "/") < 1 {
		return otherKey, "", ""
	}
	return voteKey, zone + "/" + rest[:i], rest[i+1:]
}
