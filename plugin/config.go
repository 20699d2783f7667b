// Package plugin is the gslb DNS handler: it answers GSLB names from an
// immutable snapshot and passes every other name down the plugin chain.
package plugin

import (
	"github.com/coredns/coredns/plugin/pkg/fall"

	"github.com/gslb/gslb/geoip"
	"github.com/gslb/gslb/healthcheck"
	"github.com/gslb/gslb/policy"
)

// DefaultTTL is the answer TTL when neither the stanza nor the record sets one.
const DefaultTTL = 30

// MaxNegativeTTL caps the SOA MINIMUM: a GSLB zone must not be negatively
// cached for long, or a name added by a reload stays invisible.
const MaxNegativeTTL = 30

// Config is one gslb stanza as parsed from the Corefile.
type Config struct {
	Zones      []string // fully qualified, lower case
	TTL        uint32
	ECS        bool // use and echo EDNS Client Subnet
	ECSPrivate bool // use private ECS addresses as the routing key
	GeoIP      string
	GeoDB      *geoip.DB // opened by the parser from GeoIP
	Override   string
	Fall       fall.F

	Checks  []healthcheck.Check
	Pools   []policy.Pool
	Records []policy.Record
}

// NewConfig returns a config with the defaults of DESIGN §3.
func NewConfig(zones []string) *Config {
	return &Config{Zones: zones, TTL: DefaultTTL, ECS: true, ECSPrivate: true}
}
