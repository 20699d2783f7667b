package gslb

import (
	"slices"
	"strings"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/signer"
)

// openKeys reads the stanza's signing keys and makes one signer per zone
// that has keys, nil without a dnssec block. A key that cannot be read, or
// of a zone the stanza does not serve, fails the start or the reload at
// the line that names it. Each zone's DS records are logged, for the
// parent.
func openKeys(cfg *config.Config) ([]*signer.Signer, error) {
	if cfg.DNSSEC == nil {
		return nil, nil
	}
	byZone := map[string][]*signer.Key{}
	for _, path := range cfg.DNSSEC.Keys {
		k, err := signer.ReadKey(path.Name)
		if err != nil {
			return nil, path.Errorf("dnssec: key: %v", err)
		}
		zone := k.DNSKEY.Hdr.Name
		if !slices.Contains(cfg.Zones, zone) {
			return nil, path.Errorf("dnssec: key %s is a key of %s: expected one of the stanza's zones %s", path.Name, zone, strings.Join(cfg.Zones, " "))
		}
		byZone[zone] = append(byZone[zone], k)
	}
	var signers []*signer.Signer
	for _, zone := range cfg.Zones {
		keys := byZone[zone]
		if len(keys) == 0 {
			continue
		}
		s, err := signer.New(zone, keys, signer.DefaultCacheSize)
		if err != nil {
			return nil, cfg.DNSSEC.Keys[0].Errorf("dnssec: %v", err)
		}
		if !s.Signs() {
			log.Warningf("zone %s: no key of the dnssec block is active now (their Activate and Inactive times): answers go out unsigned, and validators find them bogus", zone)
		}
		for _, k := range keys {
			if k.DNSKEY.Flags&1 != 0 || len(keys) == 1 { // what the parent points at: the KSK or the CSK
				log.Infof("zone %s: DS for the parent: %s", zone, k.DS())
			}
		}
		signers = append(signers, s)
	}
	return signers, nil
}
