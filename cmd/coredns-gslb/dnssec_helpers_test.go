package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// keygen makes a key of zone with Debian's dnssec-keygen (bind9-utils),
// as an operator would: algorithm (ECDSAP256SHA256, ED25519), a KSK when
// ksk, in dir. It returns the key files' base path and the DNSKEY.
func keygen(t *testing.T, dir, zone, algorithm string, ksk bool) (string, *dns.DNSKEY) {
	t.Helper()
	args := []string{"-q", "-K", dir, "-a", algorithm}
	if ksk {
		args = append(args, "-f", "KSK")
	}
	out, err := exec.Command("dnssec-keygen", append(args, zone)...).CombinedOutput()
	if err != nil {
		t.Fatalf("dnssec-keygen (Debian's bind9-utils, which .ci/run installs) %v: %v\n%s", args, err, out)
	}
	base := filepath.Join(dir, strings.TrimSpace(string(out)))
	return base, readDNSKEY(t, base+".key")
}

// readDNSKEY reads the DNSKEY of a .key file.
func readDNSKEY(t *testing.T, path string) *dns.DNSKEY {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rr, err := dns.ReadRR(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return rr.(*dns.DNSKEY)
}

// trustAnchor writes the DS of key as Unbound's trust-anchor-file reads
// it, and returns the file.
func trustAnchor(t *testing.T, key *dns.DNSKEY) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "anchor.ds")
	if err := os.WriteFile(path, []byte(key.ToDS(dns.SHA256).String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// askValidated asks Unbound for name/qtype with DO and AD set, so that its
// reply says whether it validated (AD), optionally for a client subnet.
func (u *unbound) askValidated(t *testing.T, name string, qtype uint16, subnet string) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.AuthenticatedData = true
	m.SetEdns0(1232, true)
	if subnet != "" {
		m.IsEdns0().Option = append(m.IsEdns0().Option, ecsOption(t, subnet))
	}
	r, err := exchangeFrom(unboundProbe, u.Addr, m)
	if err != nil {
		t.Fatalf("query %s %s to unbound %s: %v", name, dns.TypeToString[qtype], u.Addr, err)
	}
	return r
}
