package gslb

import (
	"os"
	"testing"

	"github.com/coredns/caddy"
	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/dnssectest"
)

// A key setup cannot sign the zone with fails the start (or the reload)
// at the line that names it: another zone's, an algorithm gslb does not
// sign with, a private key that is not the public one's; a good one
// starts.
func TestSetupReadsKeys(t *testing.T) {
	dir := t.TempDir()
	record := poolEU + "\nrecord app {\n    pools eu\n}"
	good, _ := dnssectest.Key(t, dir, "example.com.", dns.ED25519, 257)
	if err := setup(caddy.NewTestController("dns", stanza("\ndnssec {\n    key file "+good+"\n}"+record))); err != nil {
		t.Fatalf("setup with a good key: %v", err)
	}
	other, _ := dnssectest.Key(t, dir, "example.net.", dns.ED25519, 257)
	err := setup(caddy.NewTestController("dns", stanza("\ndnssec {\n    key file "+good+" "+other+"\n}"+record)))
	checkErr(t, err, 3, "dnssec: key "+other+" is a key of example.net.: expected one of the stanza's zones example.com.")

	rsa := dnssectest.RSAKey(t, dir, "example.com.")
	err = setup(caddy.NewTestController("dns", stanza("\ndnssec {\n    key file "+rsa+"\n}"+record)))
	checkErr(t, err, 3, "algorithm RSASHA256: expected ECDSAP256SHA256 (13) or ED25519 (15)")

	mixed, _ := dnssectest.Key(t, dir, "example.com.", dns.ED25519, 257)
	if err := os.Rename(good+".private", mixed+".private"); err != nil {
		t.Fatal(err)
	}
	err = setup(caddy.NewTestController("dns", stanza("\ndnssec {\n    key file "+mixed+"\n}"+record)))
	checkErr(t, err, 3, mixed+".private is not the private key of "+mixed+".key")
}
