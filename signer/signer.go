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
	zone    string
	dnskey  []*Key   // sign the DNSKEY RRset: the KSKs of a split pair, else every key
	others  []*Key   // sign every other RRset: the ZSKs of a split pair, else every key
	dnskeys []dns.RR // the zone's DNSKEY RRset
	cache   *cache.Cache[entry]
	now     func() time.Time

	made, reused prometheus.Counter // the zone's series, resolved once
}

// entry is one RRset's signatures, one per key that signs it.
type entry struct {
	sigs  []*dns.RRSIG
	fresh int64 // unix time until which they are reused
}

// New returns the signer of zone (fully qualified, lower case) with keys,
// which must all be the zone's. One key, or keys alike, sign everything (a
// CSK); keys with and without the SEP flag are a KSK, which signs the
// DNSKEY RRset, and a ZSK, which signs the rest.
func New(zone string, keys []*Key, cacheSize int) (*Signer, error) {
	s := &Signer{zone: zone, cache: cache.New[entry](cacheSize), now: time.Now,
		made: signatures.WithLabelValues(zone, "made"), reused: signatures.WithLabelValues(zone, "reused")}
	var ksk, zsk []*Key
	for _, k := range keys {
		if k.DNSKEY.Hdr.Name != zone {
			return nil, fmt.Errorf("key %d of %s is not the zone %s's", k.tag, k.DNSKEY.Hdr.Name, zone)
		}
		if k.ksk() {
			ksk = append(ksk, k)
		} else {
			zsk = append(zsk, k)
		}
		dk := *k.DNSKEY
		dk.Hdr.Ttl = 3600
		s.dnskeys = append(s.dnskeys, &dk)
	}
	s.dnskey, s.others = keys, keys
	if len(ksk) > 0 && len(zsk) > 0 {
		s.dnskey, s.others = ksk, zsk
	}
	return s, nil
}

// Zone is the zone s signs.
func (s *Signer) Zone() string { return s.zone }

// DNSKEYs is the zone's DNSKEY RRset, for the apex's DNSKEY answers.
// Shared: callers must not change it.
func (s *Signer) DNSKEYs() []dns.RR { return s.dnskeys }

// Sign returns the RRSIGs of rrset, one RRset (one owner, type and class),
// as served with ttl. They are made with origTTL, the TTL the RRset has at
// full health, so that a failover's shorter TTL reuses them (RFC 4035
// §5.3.3: a validator takes the smaller). Their TTL is ttl.
func (s *Signer) Sign(rrset []dns.RR, origTTL, ttl uint32) ([]dns.RR, error) {
	key := hashRRset(rrset, origTTL)
	now := s.now()
	e, ok := s.cache.Get(key)
	if ok && now.Unix() < e.fresh {
		s.reused.Inc()
	} else {
		var err error
		if e, err = s.sign(rrset, origTTL, now); err != nil {
			return nil, err
		}
		s.cache.Add(key, e)
		s.made.Inc()
	}
	out := make([]dns.RR, len(e.sigs))
	for i, sig := range e.sigs {
		c := *sig // the cached one is shared
		c.Hdr.Ttl = ttl
		out[i] = &c
	}
	return out, nil
}

// sign makes rrset's signatures now.
func (s *Signer) sign(rrset []dns.RR, origTTL uint32, now time.Time) (entry, error) {
	keys := s.others
	if rrset[0].Header().Rrtype == dns.TypeDNSKEY {
		keys = s.dnskey
	}
	incep, expir := now.Add(-inceptionSkew).Unix(), now.Add(validity).Unix()
	e := entry{fresh: now.Add(refreshAfter).Unix()}
	for _, k := range keys {
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
