package signer

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"
	"os"
	"strings"

	"github.com/miekg/dns"
)

// Key is one DNSKEY of a zone with its private key: a CSK, or a KSK or ZSK
// of a split pair.
type Key struct {
	DNSKEY *dns.DNSKEY
	signer crypto.Signer
	tag    uint16
	timing timing
}

// ksk says whether k has the SEP flag: in a KSK and ZSK pair, it signs the
// DNSKEY RRset only.
func (k *Key) ksk() bool { return k.DNSKEY.Flags&dns.SEP != 0 }

// ReadKey reads the key files dnssec-keygen writes, as CoreDNS's dnssec
// plugin reads them: base.key (the DNSKEY) and base.private. base may end
// in .key or .private. Only ECDSA P-256 (algorithm 13) and Ed25519 (15)
// are taken: the algorithms a validator must support that sign fast enough
// to sign online.
func ReadKey(base string) (*Key, error) {
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".key"), ".private")
	pub, err := os.ReadFile(base + ".key")
	if err != nil {
		return nil, err
	}
	rr, err := dns.NewRR(publicKeyLine(string(pub)))
	if err != nil {
		return nil, fmt.Errorf("%s.key: %v", base, err)
	}
	dk, ok := rr.(*dns.DNSKEY)
	if !ok {
		return nil, fmt.Errorf("%s.key: expected a DNSKEY record, got %s", base, dns.TypeToString[rr.Header().Rrtype])
	}
	if dk.Flags&dns.ZONE == 0 {
		return nil, fmt.Errorf("%s.key: flags %d: expected a zone key (256 or 257)", base, dk.Flags)
	}
	priv, err := os.ReadFile(base + ".private")
	if err != nil {
		return nil, err
	}
	p, err := dk.ReadPrivateKey(bytes.NewReader(priv), base+".private")
	if err != nil {
		return nil, fmt.Errorf("%s.private: %v", base, err)
	}
	var s crypto.Signer
	switch p := p.(type) {
	case *ecdsa.PrivateKey:
		if p.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%s.private: expected ECDSA P-256", base)
		}
		s = p
	case ed25519.PrivateKey:
		s = p
	default:
		return nil, fmt.Errorf("%s: algorithm %s: expected ECDSAP256SHA256 (13) or ED25519 (15)", base, dns.AlgorithmToString[dk.Algorithm])
	}
	if !matches(s, dk) {
		return nil, fmt.Errorf("%s.private is not the private key of %s.key", base, base)
	}
	dk.Hdr.Name = dns.CanonicalName(dk.Hdr.Name)
	return &Key{DNSKEY: dk, signer: s, tag: dk.KeyTag(), timing: readTiming(string(priv))}, nil
}

// publicKeyLine is the DNSKEY line of a .key file, without the comments
// dnssec-keygen writes above it.
func publicKeyLine(file string) string {
	for _, line := range strings.Split(file, "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, ";") {
			return l
		}
	}
	return ""
}

// matches says whether s is the private key of dk: what it signs, dk
// verifies.
func matches(s crypto.Signer, dk *dns.DNSKEY) bool {
	probe := []dns.RR{&dns.TXT{Hdr: dns.RR_Header{Name: dk.Hdr.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 1}, Txt: []string{"key check"}}}
	sig := &dns.RRSIG{Algorithm: dk.Algorithm, KeyTag: dk.KeyTag(), SignerName: dk.Hdr.Name, Inception: 0, Expiration: 1 << 31}
	return sig.Sign(s, probe) == nil && sig.Verify(dk, probe) == nil
}

// DS is the record the parent zone publishes for k (SHA-256).
func (k *Key) DS() *dns.DS { return k.DNSKEY.ToDS(dns.SHA256) }
