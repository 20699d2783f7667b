package kube

import (
	"net/netip"
	"strings"
)

// address is one member an object gives: an IP address or a load
// balancer's host name, fully qualified, lower case.
type address struct {
	addr netip.Addr
	host string
}

func (a address) String() string {
	if a.host != "" {
		return a.host
	}
	return a.addr.String()
}

// ipAddress reads an IP address of a status; zones are no member's.
func ipAddress(s string) (address, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return address{}, false
	}
	return address{addr: a.Unmap()}, true
}

// hostAddress reads a host name (letters, digits, hyphens inside labels,
// underscores): lower case, with the final dot added. A
// name whose last label is all digits is none (no top-level domain is): it
// is an IPv4 address mistyped, "10.0.0.256".
func hostAddress(s string) (address, bool) {
	name := strings.TrimSuffix(strings.ToLower(s), ".")
	if name == "" || len(name) > 253 {
		return address{}, false
	}
	digits := false
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return address{}, false
		}
		digits = true
		for _, c := range []byte(label) {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return address{}, false
			}
			digits = digits && c >= '0' && c <= '9'
		}
	}
	if digits {
		return address{}, false
	}
	return address{host: name + "."}, true
}

// appendStatus appends a status entry's IP, or else its host name, unless
// it is there already or is neither.
func appendStatus(addrs []address, ip, host string) []address {
	a, ok := ipAddress(ip)
	if ip == "" {
		a, ok = hostAddress(host)
	}
	return appendNew(addrs, a, ok)
}

func appendNew(addrs []address, a address, ok bool) []address {
	if !ok {
		return addrs
	}
	for _, have := range addrs {
		if have == a {
			return addrs
		}
	}
	return append(addrs, a)
}

// annotated is what an object's address annotation says: PublicAddress,
// else ExternalDNSTarget, comma-separated addresses or host names, which
// replace its status's (behind NAT, the status has the private ones). bad
// are the entries that are neither; value is the annotation's, trimmed, ""
// without either annotation (or with only blanks in it).
func annotated(annotations map[string]string) (value string, addrs []address, bad []string) {
	value = strings.TrimSpace(annotations[PublicAddress])
	if value == "" {
		value = strings.TrimSpace(annotations[ExternalDNSTarget])
	}
	if value == "" {
		return "", nil, nil
	}
	for entry := range strings.SplitSeq(value, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		a, ok := ipAddress(entry)
		if !ok {
			a, ok = hostAddress(entry)
		}
		if !ok {
			bad = append(bad, entry)
		}
		addrs = appendNew(addrs, a, ok)
	}
	return value, addrs, bad
}
