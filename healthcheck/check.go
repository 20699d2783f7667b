// Package healthcheck probes pool members in the background and keeps their
// up/down state with rise/fall hysteresis.
package healthcheck

import (
	"regexp"
	"strconv"
	"time"
)

// Kind is the protocol a check speaks.
type Kind int

// The probe kinds of the Corefile's check block.
const (
	HTTP Kind = iota + 1
	HTTPS
	TCP
	DNS
	GRPC
)

var kindNames = map[Kind]string{HTTP: "http", HTTPS: "https", TCP: "tcp", DNS: "dns", GRPC: "grpc"}

func (k Kind) String() string { return kindNames[k] }

// KindOf returns the kind named s, or 0 when there is none.
func KindOf(s string) Kind {
	for k, name := range kindNames {
		if name == s {
			return k
		}
	}
	return 0
}

// Defaults from DESIGN §3.
const (
	DefaultInterval = 5 * time.Second
	DefaultTimeout  = 2 * time.Second
	DefaultRise     = 2
	DefaultFall     = 3
)

// StatusRange is an inclusive range of HTTP status codes counted as healthy.
type StatusRange struct{ Low, High int }

// Header is one extra request header sent by HTTP probes.
type Header struct{ Name, Value string }

// TLS holds the TLS options of https and grpc checks.
type TLS struct {
	SkipVerify bool
	CAFile     string
	CertFile   string
	KeyFile    string
}

// Enabled reports whether any TLS option was given.
func (t TLS) Enabled() bool {
	return t.SkipVerify || t.CAFile != "" || t.CertFile != ""
}

// Check is a named health check as written in a check block. It is a plain
// value: probers are built from it in OnStartup, never in setup.
type Check struct {
	Name string
	Kind Kind
	Port uint16

	Path    string // http, https
	QName   string // dns, fully qualified
	QType   uint16 // dns
	Service string // grpc

	Host    string        // Host header and TLS server name
	Expect  []StatusRange // http, https; default 200-299
	Match   *regexp.Regexp
	Headers []Header
	TLS     TLS

	Interval time.Duration
	Timeout  time.Duration
	Rise     int
	Fall     int
	Slow     time.Duration // 0: latency never lowers the weight
}

// NewCheck returns a check with the defaults of DESIGN §3.
func NewCheck(name string, kind Kind) Check {
	return Check{
		Name:     name,
		Kind:     kind,
		Interval: DefaultInterval,
		Timeout:  DefaultTimeout,
		Rise:     DefaultRise,
		Fall:     DefaultFall,
	}
}

// withDefaults fills what a Check built outside the Corefile parser may leave
// zero, so a prober never runs with a zero interval or threshold.
func (c Check) withDefaults() Check {
	if c.Interval <= 0 {
		c.Interval = DefaultInterval
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Rise <= 0 {
		c.Rise = DefaultRise
	}
	if c.Fall <= 0 {
		c.Fall = DefaultFall
	}
	if len(c.Expect) == 0 && (c.Kind == HTTP || c.Kind == HTTPS) {
		c.Expect = []StatusRange{{Low: 200, High: 299}}
	}
	return c
}

// expects reports whether an HTTP status code is in one of the Expect ranges.
func (c Check) expects(code int) bool {
	for _, r := range c.Expect {
		if code >= r.Low && code <= r.High {
			return true
		}
	}
	return false
}

func (r StatusRange) String() string {
	if r.Low == r.High {
		return strconv.Itoa(r.Low)
	}
	return strconv.Itoa(r.Low) + "-" + strconv.Itoa(r.High)
}
