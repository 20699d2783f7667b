package signer

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gslb/gslb/internal/dnssectest"
)

const zone = "gslb.test."

func aSet(ttl uint32, ips ...string) []dns.RR {
	var out []dns.RR
	for _, ip := range ips {
		out = append(out, &dns.A{Hdr: dns.RR_Header{Name: "app." + zone, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: ttl}, A: net.ParseIP(ip)})
	}
	return out
}

func newSigner(t *testing.T, flags ...uint16) (*Signer, []*dns.DNSKEY) {
	t.Helper()
	dir := t.TempDir()
	var keys []*Key
	var public []*dns.DNSKEY
	for i, f := range flags {
		alg := uint8(dns.ECDSAP256SHA256)
		if i%2 == 1 {
			alg = dns.ED25519
		}
		base, dk := dnssectest.Key(t, dir, zone, alg, f)
		k, err := ReadKey(base)
		if err != nil {
			t.Fatal(err)
		}
		keys, public = append(keys, k), append(public, dk)
	}
	s, err := New(zone, keys, 100)
	if err != nil {
		t.Fatal(err)
	}
	return s, public
}

// Signatures verify with the zone's DNSKEY, are back-dated an hour and
// good for a week; two orderings of one RRset, or the same RRset at a
// failover's halved TTL, reuse one signature, at the TTL served.
func TestSignVerifiesAndIsReused(t *testing.T) {
	s, public := newSigner(t, 257)
	now := time.Unix(1_800_000_000, 0)
	s.now = func() time.Time { return now }
	sigs, err := s.Sign(aSet(30, "192.0.2.1", "192.0.2.2"), 30, 30)
	if err != nil {
		t.Fatal(err)
	}
	sig := sigs[0].(*dns.RRSIG)
	if err := sig.Verify(public[0], aSet(30, "192.0.2.2", "192.0.2.1")); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if sig.Inception != uint32(now.Add(-time.Hour).Unix()) || sig.Expiration != uint32(now.Add(7*24*time.Hour).Unix()) {
		t.Errorf("validity %d to %d, want an hour back to a week on", sig.Inception, sig.Expiration)
	}
	again, _ := s.Sign(aSet(15, "192.0.2.2", "192.0.2.1"), 30, 15)
	if a := again[0].(*dns.RRSIG); a.Signature != sig.Signature || a.Hdr.Ttl != 15 || a.OrigTtl != 30 {
		t.Errorf("reordered at TTL 15: a new signature or the wrong TTLs (%d, %d)", a.Hdr.Ttl, a.OrigTtl)
	}
	if err := again[0].(*dns.RRSIG).Verify(public[0], aSet(15, "192.0.2.1", "192.0.2.2")); err != nil {
		t.Errorf("the reused signature at the halved TTL: %v", err)
	}
	other, _ := s.Sign(aSet(30, "192.0.2.1"), 30, 30)
	if other[0].(*dns.RRSIG).Signature == sig.Signature {
		t.Error("another RRset got the same signature")
	}
	// A day on, it is made again.
	now = now.Add(24 * time.Hour)
	fresh, _ := s.Sign(aSet(30, "192.0.2.1", "192.0.2.2"), 30, 30)
	if f := fresh[0].(*dns.RRSIG); f.Signature == sig.Signature || f.Inception != uint32(now.Add(-time.Hour).Unix()) {
		t.Error("a day-old signature was served again")
	}
}

// With a KSK and a ZSK, the KSK signs the DNSKEY RRset and the ZSK the
// rest; with one key, it signs both.
func TestSplitKeys(t *testing.T) {
	s, public := newSigner(t, 257, 256)
	sigs, _ := s.Sign(s.DNSKEYs(), 3600, 3600)
	if len(sigs) != 1 || sigs[0].(*dns.RRSIG).KeyTag != public[0].KeyTag() {
		t.Errorf("DNSKEY signed by %v, want the KSK %d only", sigs, public[0].KeyTag())
	}
	sigs, _ = s.Sign(aSet(30, "192.0.2.1"), 30, 30)
	if len(sigs) != 1 || sigs[0].(*dns.RRSIG).KeyTag != public[1].KeyTag() {
		t.Errorf("A signed by %v, want the ZSK %d only", sigs, public[1].KeyTag())
	}
	if err := sigs[0].(*dns.RRSIG).Verify(public[1], aSet(30, "192.0.2.1")); err != nil {
		t.Errorf("Ed25519 ZSK: %v", err)
	}
}

// Denial: an NSEC at the name covering only it, listing what the name has
// but the type asked; a name that does not exist lists NXNAME.
func TestDeny(t *testing.T) {
	s, public := newSigner(t, 257)
	rrs, err := s.Deny("app."+zone, dns.TypeAAAA, []uint16{dns.TypeA, dns.TypeAAAA}, 30)
	if err != nil {
		t.Fatal(err)
	}
	nsec := rrs[0].(*dns.NSEC)
	if nsec.NextDomain != "\\000.app."+zone || !equal(nsec.TypeBitMap, dns.TypeA, dns.TypeRRSIG, dns.TypeNSEC) {
		t.Errorf("NODATA NSEC %v", nsec)
	}
	if err := rrs[1].(*dns.RRSIG).Verify(public[0], rrs[:1]); err != nil {
		t.Errorf("NSEC signature: %v", err)
	}
	rrs, _ = s.Deny("nope."+zone, dns.TypeA, nil, 30)
	if !equal(rrs[0].(*dns.NSEC).TypeBitMap, dns.TypeRRSIG, dns.TypeNSEC, dns.TypeNXNAME) {
		t.Errorf("NXDOMAIN NSEC %v", rrs[0])
	}
}

func equal(got []uint16, want ...uint16) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// Keys that cannot sign the zone are refused, naming the file.
func TestReadKeyErrors(t *testing.T) {
	dir := t.TempDir()
	base, _ := dnssectest.Key(t, dir, zone, dns.ECDSAP256SHA256, 257)
	other, _ := dnssectest.Key(t, dir, zone, dns.ECDSAP256SHA256, 257)
	if err := os.Rename(other+".private", base+".private"); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKey(base); err == nil || !strings.Contains(err.Error(), "is not the private key of") {
		t.Errorf("a mismatched pair: %v", err)
	}
	if _, err := ReadKey(dir + "/Kmissing"); err == nil || !strings.Contains(err.Error(), "Kmissing.key") {
		t.Errorf("a missing key: %v", err)
	}
	elsewhere, _ := dnssectest.Key(t, dir, "other.test.", dns.ED25519, 257)
	k, err := ReadKey(elsewhere + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(zone, []*Key{k}, 10); err == nil || !strings.Contains(err.Error(), "is not the zone gslb.test.'s") {
		t.Errorf("another zone's key: %v", err)
	}
}

// The cache shows in dnssec_signatures_total: made, then reused; the
// series pass promlint.
func TestSignaturesCounted(t *testing.T) {
	s, _ := newSigner(t, 257)
	made, reused := testutil.ToFloat64(s.made), testutil.ToFloat64(s.reused)
	s.Sign(aSet(30, "192.0.2.9"), 30, 30)
	s.Sign(aSet(15, "192.0.2.9"), 30, 15)
	if testutil.ToFloat64(s.made)-made != 1 || testutil.ToFloat64(s.reused)-reused != 1 {
		t.Errorf("made %v, reused %v: want one each", testutil.ToFloat64(s.made)-made, testutil.ToFloat64(s.reused)-reused)
	}
	if problems, err := testutil.CollectAndLint(signatures); err != nil || len(problems) > 0 {
		t.Errorf("promlint: %v %v", problems, err)
	}
}

// A ZSK rollover by pre-publication, as dnssec-keygen plans it: the new
// ZSK is in the DNSKEY RRset before it signs (-P now -A later); once
// active it signs, and the old one, inactive (-I), no longer does, though
// still published until its Delete.
func TestRolloverByTiming(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	stamp := func(d time.Duration) string { return start.Add(d).Format("20060102150405") }
	kskBase, ksk := dnssectest.Key(t, dir, zone, dns.ECDSAP256SHA256, 257)
	oldBase, old := dnssectest.Key(t, dir, zone, dns.ECDSAP256SHA256, 256)
	newBase, next := dnssectest.Key(t, dir, zone, dns.ECDSAP256SHA256, 256)
	appendFile(t, oldBase+".private", "Inactive: "+stamp(48*time.Hour)+"\nDelete: "+stamp(96*time.Hour)+"\n")
	appendFile(t, newBase+".private", "Publish: "+stamp(0)+"\nActivate: "+stamp(48*time.Hour)+"\n")
	var keys []*Key
	for _, b := range []string{kskBase, oldBase, newBase} {
		k, err := ReadKey(b)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	s, err := New(zone, keys, 10)
	if err != nil {
		t.Fatal(err)
	}
	now := start.Add(time.Hour)
	s.now = func() time.Time { return now }
	signedBy := func() uint16 {
		sigs, _ := s.Sign(aSet(30, "192.0.2.1"), 30, 30)
		if len(sigs) != 1 {
			t.Fatalf("%d signatures, want the one active ZSK's", len(sigs))
		}
		return sigs[0].(*dns.RRSIG).KeyTag
	}
	if len(s.DNSKEYs()) != 3 || signedBy() != old.KeyTag() {
		t.Errorf("pre-published: %d DNSKEYs, want 3, signed by the old ZSK", len(s.DNSKEYs()))
	}
	now = start.Add(49 * time.Hour) // the new one active, the old one retired: the cached signature is not reused
	if signedBy() != next.KeyTag() || len(s.DNSKEYs()) != 3 {
		t.Errorf("after the switch: want the new ZSK signing, the old still published")
	}
	now = start.Add(97 * time.Hour)
	if len(s.DNSKEYs()) != 2 {
		t.Errorf("after the old one's Delete: %d DNSKEYs, want 2", len(s.DNSKEYs()))
	}
	sigs, _ := s.Sign(s.DNSKEYs(), 3600, 3600)
	if len(sigs) != 1 || sigs[0].(*dns.RRSIG).KeyTag != ksk.KeyTag() {
		t.Errorf("DNSKEY signed by %v, want the KSK", sigs)
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// Before its first key's activation a zone is not signed, and Signs says
// so, for setup's warning.
func TestSignsBeforeActivation(t *testing.T) {
	dir := t.TempDir()
	base, _ := dnssectest.Key(t, dir, zone, dns.ED25519, 257)
	appendFile(t, base+".private", "Activate: 20991231000000\n")
	k, err := ReadKey(base)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(zone, []*Key{k}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if s.Signs() {
		t.Error("Signs before the key's activation")
	}
	if sigs, _ := s.Sign(aSet(30, "192.0.2.1"), 30, 30); len(sigs) != 0 {
		t.Errorf("signed before the key's activation: %v", sigs)
	}
}
