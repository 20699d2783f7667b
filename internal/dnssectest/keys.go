// Package dnssectest writes DNSSEC key files for tests, in the format
// dnssec-keygen writes and CoreDNS's dnssec plugin reads: K<zone>+<alg>+<tag>.key
// and .private.
package dnssectest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/miekg/dns"
)

// Key writes a new key of zone with algorithm (dns.ECDSAP256SHA256 or
// dns.ED25519) and flags (257 for a KSK or CSK, 256 for a ZSK) into dir, and
// returns the files' base path (without .key or .private) and the DNSKEY.
func Key(t testing.TB, dir, zone string, algorithm uint8, flags uint16) (string, *dns.DNSKEY) {
	t.Helper()
	k := &dns.DNSKEY{Hdr: dns.RR_Header{Name: dns.Fqdn(zone), Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: 3600}, Flags: flags, Protocol: 3, Algorithm: algorithm}
	priv, err := k.Generate(256)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, fmt.Sprintf("K%s+%03d+%05d", dns.Fqdn(zone), algorithm, k.KeyTag()))
	write(t, base+".key", "; a test key\n"+k.String()+"\n")
	write(t, base+".private", k.PrivateKeyString(priv))
	return base, k
}

func write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// RSAKey writes an RSASHA256 key of zone into dir, an algorithm gslb does
// not sign with, and returns its base path.
func RSAKey(t testing.TB, dir, zone string) string {
	t.Helper()
	k := &dns.DNSKEY{Hdr: dns.RR_Header{Name: dns.Fqdn(zone), Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: 3600}, Flags: 257, Protocol: 3, Algorithm: dns.RSASHA256}
	priv, err := k.Generate(2048)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, fmt.Sprintf("K%s+%03d+%05d", dns.Fqdn(zone), k.Algorithm, k.KeyTag()))
	write(t, base+".key", k.String()+"\n")
	write(t, base+".private", k.PrivateKeyString(priv))
	return base
}
