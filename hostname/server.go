package hostname

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// resolvConf is where the system's resolvers are listed.
const resolvConf = "/etc/resolv.conf"

// ParseServer checks a resolver's address as a configuration gives it: an
// IP address, port 53 by default, or IP:PORT ([IPv6]:PORT). It returns the
// form Acquire and Registry.Lookup take, IP:PORT, so that two spellings of
// one server share its resolvers; "" (the system's resolvers) stays "". A
// host name is refused: resolving the resolver would need a resolver.
func ParseServer(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil { // no port: a bare IPv4 or IPv6 address, maybe bracketed
		host, port = s, "53"
		if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
			host = s[1 : len(s)-1]
		}
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return "", fmt.Errorf("resolver %q: not an IP address or IP:PORT", s)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return "", fmt.Errorf("resolver %q: port %q is not a number from 1 to 65535", s, port)
	}
	return netip.AddrPortFrom(addr, uint16(n)).String(), nil
}

// canonicalServer is s as ParseServer gives it, or s itself when it does
// not parse: its queries then fail, saying why (see serversOf).
func canonicalServer(s string) string {
	if c, err := ParseServer(s); err == nil {
		return c
	}
	return s
}

// systemServers reads the system's resolvers from resolvConf.
func systemServers() ([]string, error) {
	conf, err := dns.ClientConfigFromFile(resolvConf)
	if err != nil {
		return nil, fmt.Errorf("system resolvers: %w", err)
	}
	return confServers(conf)
}

// confServers are the name servers of a resolv.conf as IP:PORT, in its
// order: the order they are tried in.
func confServers(conf *dns.ClientConfig) ([]string, error) {
	var servers []string
	for _, s := range conf.Servers {
		if c, err := ParseServer(net.JoinHostPort(s, conf.Port)); err == nil {
			servers = append(servers, c)
		}
	}
	if len(servers) == 0 {
		return nil, errors.New("system resolvers: no nameserver in " + resolvConf)
	}
	return servers, nil
}
