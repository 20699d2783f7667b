package signer

import (
	"fmt"
	"time"

	"github.com/coredns/coredns/plugin/pkg/cache"
	"github.com/miekg/dns"
	"github.com/prometheus/client_golang/prometheus"
)

// Validity of the signatures: back-dated by inceptionSkew, valid for
// validity, and made again once refreshAfter old.
const (
	inceptionSkew = time.Hour
	validity      = 7 * 24 * time.Hour
	refreshAfter  = 24 * time.Hour
)

// DefaultCacheSize bounds the signatures kept: one entry per distinct
// RRset, a few hundred bytes each.
const DefaultCacheSize = 10000

// Signer signs one zone's RRsets with its keys.
type Signer struct {
	zone  string
	keys  []*Key // at most 64: a signature's entry says which signed it
	cache *cache.Cache[entry]
	now   func() time.Time

	made, reused prometheus.Counter // the zone's series, resolved once
}

// entry is one RRset's signatures, one per key that signs it.
type entry struct {
	sigs  []*dns.RRSIG
	fresh int64  // unix time until which they are reused
	keys  uint64 // the keys that made them, by index: another set signs anew
}

// New returns the signer of zone (fully qualified, lower case) with keys,
// which must all be the zone's. Among the keys active at a time (their
// .private file's Activate and Inactive), one key, or keys alike, sign
// everything (a CSK); keys with and without the SEP flag are a KSK, which
// signs the DNSKEY RRset, and a ZSK, which signs the rest. The DNSKEY
// RRset is the keys published at the time (Publish to Delete).
func New(zone string, keys []*Key, cacheSize int) (*Signer, error) {
	if len(keys) > 64 {
		return nil, fmt.Errorf("zone %s: %d keys: expected at most 64", zone, len(keys))
	}
	s := &Signer{zone: zone, keys: keys, cache: cache.New[entry](cacheSize), now: time.Now,
		made: signatures.WithLabelValues(zone, "made"), reused: signatures.WithLabelValues(zone, "reused")}
	for _, k := range keys {
		if k.DNSKEY.Hdr.Name != zone {
			return nil, fmt.Errorf("key %d of %s is not the zone %s's", k.tag, k.DNSKEY.Hdr.Name, zone)
		}
	}
	return s, nil
}

// Signs says whether a key of the zone signs now: none does before the
// first one's Activate or after the last one's Inactive.
func (s *Signer) Signs() bool { return s.signing(dns.TypeA, s.now()) != 0 }

// signing is the set of keys, by index, that sign an RRset of rrtype now.
func (s *Signer) signing(rrtype uint16, now time.Time) uint64 {
	var ksk, zsk uint64
	for i, k := range s.keys {
		switch {
		case !k.timing.active(now):
		case k.ksk():
			ksk |= 1 << i
		default:
			zsk |= 1 << i
		}
	}
	switch {
	case ksk == 0 || zsk == 0:
		return ksk | zsk
	case rrtype == dns.TypeDNSKEY:
		return ksk
	}
	return zsk
}

// Zone is the zone s signs.
func (s *Signer) Zone() string { return s.zone }

// DNSKEYs is the zone's DNSKEY RRset now, for the apex's DNSKEY answers:
// the keys published, TTL 3600.
func (s *Signer) DNSKEYs() []dns.RR {
	now := s.now()
	var out []dns.RR
	for _, k := range s.keys {
		if k.timing.published(now) {
			dk := *k.DNSKEY
			dk.Hdr.Ttl = 3600
			out = append(out, &dk)
		}
	}
	return out
}

// Sign returns the RRSIGs of rrset, one RRset (one owner, type and class),
// as served with ttl. They are made with origTTL, the TTL the RRset has at
// full health, so that a failover's shorter TTL reuses them (RFC 4035
// §5.3.3: a validator takes the smaller). Their TTL is ttl.
func (s *Signer) Sign(rrset []dns.RR, origTTL, ttl uint32) ([]dns.RR, error) {
	return s.AppendSigs(nil, rrset, origTTL, ttl)
}

// AppendSigs is Sign appending to dst; on an error it returns dst as
// given.
func (s *Signer) AppendSigs(dst []dns.RR, rrset []dns.RR, origTTL, ttl uint32) ([]dns.RR, error) {
	key := hashRRset(rrset, origTTL)
	now := s.now()
	keys := s.signing(rrset[0].Header().Rrtype, now)
	e, ok := s.cache.Get(key)
	if ok && now.Unix() < e.fresh && e.keys == keys {
		s.reused.Inc()
	} else {
		var err error
		if e, err = s.sign(rrset, origTTL, keys, now); err != nil {
			return dst, err // dst as it was: the section keeps its records
		}
		s.cache.Add(key, e)
		s.made.Inc()
	}
	for _, sig := range e.sigs {
		c := *sig // the cached one is shared
		c.Hdr.Ttl = ttl
		dst = append(dst, &c)
	}
	return dst, nil
}

// sign makes rrset's signatures now, with the keys of the set.
func (s *Signer) sign(rrset []dns.RR, origTTL uint32, keys uint64, now time.Time) (entry, error) {
	incep, expir := now.Add(-inceptionSkew).Unix(), now.Add(validity).Unix()
	e := entry{fresh: now.Add(refreshAfter).Unix(), keys: keys}
	for i, k := range s.keys {
		if keys&(1<<i) == 0 {
			continue
		}
		sig := &dns.RRSIG{
			Hdr:       dns.RR_Header{Rrtype: dns.TypeRRSIG, Class: dns.ClassINET},
			Algorithm: k.DNSKEY.Algorithm, KeyTag: k.tag, SignerName: s.zone, OrigTtl: origTTL,
			Inception: uint32(incep), Expiration: uint32(expir), // #nosec G115: RFC 4034 serial arithmetic wraps in 2106
		}
		if err := sig.Sign(k.signer, rrset); err != nil {
			return entry{}, fmt.Errorf("signing %s %s with key %d: %v", rrset[0].Header().Name, dns.TypeToString[rrset[0].Header().Rrtype], k.tag, err)
		}
		e.sigs = append(e.sigs, sig)
	}
	return e, nil
}
