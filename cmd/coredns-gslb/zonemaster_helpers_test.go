package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zmZone is the zone the Zonemaster tests serve from two instances, ns1
// and ns2, each on its own loopback address.
const zmZone = "gslb.example.com."

// zmNS is the zone's name servers as Zonemaster is told them: ns1 and ns2
// on addrs[0] and addrs[1].
func zmNS(addrs []string) map[string]string {
	ns := map[string]string{}
	for i, a := range addrs {
		ns[fmt.Sprintf("ns%d.%s", i+1, zmZone)] = a
	}
	return ns
}

// gslbCorefile is the Corefile of the instance listening on addrs[i]:
// every instance names all of them, ns1 … nsN, as its zone's name servers.
func gslbCorefile(addrs []string, i int) string {
	var ns strings.Builder
	for j, a := range addrs {
		fmt.Fprintf(&ns, "        ns ns%d %s\n", j+1, a)
	}
	return fmt.Sprintf(`gslb.example.com:53 {
    bind %s
    gslb {
%s        soa {
            rname hostmaster.example.com.
            serial 2026120101
            refresh 4h
            retry 1h
            expire 14d
            minimum 300
        }
        pool eu {
            member 192.0.2.10
        }
        record www {
            pools eu
        }
    }
}
`, addrs[i], ns.String())
}

// referenceZone writes the zone as a zone file for CoreDNS's file plugin,
// the known-good authoritative server the harness is proven against: the
// SOA of gslbCorefile with serial, an NS and a glue A record per address.
func referenceZone(t *testing.T, addrs []string, serial int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$TTL 300\n@ IN SOA ns1.%s hostmaster.example.com. %d 14400 3600 1209600 300\n", zmZone, serial)
	for i := range addrs {
		fmt.Fprintf(&b, "@ IN NS ns%d.%s\n", i+1, zmZone)
	}
	for i, a := range addrs {
		fmt.Fprintf(&b, "ns%d IN A %s\n", i+1, a)
	}
	b.WriteString("www IN A 192.0.2.10\n")
	path := filepath.Join(t.TempDir(), "db.gslb.example.com")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fileCorefile serves the zone file on addr, port 53.
func fileCorefile(path, addr string) string {
	return fmt.Sprintf("gslb.example.com:53 {\n    bind %s\n    file %s\n}\n", addr, path)
}

// startAt runs the binary on corefile as written and returns once addr,
// port 53, answers a query for zmZone over UDP and TCP. Unlike
// startServer it rewrites no port: Zonemaster queries port 53 only, so
// each instance has an address of its own (zonemastertest.Addrs) instead.
func startAt(t *testing.T, corefile, addr string) *server {
	t.Helper()
	at := net.JoinHostPort(addr, "53")
	s, err := run(t, corefile, loopbackOnly(t, corefile), at, map[string]string{at: zmZone})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
