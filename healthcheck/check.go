package healthcheck

import (
	"net/netip"
	"regexp"
	"strconv"
	"time"
)

// The defaults of the Corefile's check block, set by NewCheck.
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

	PromQL PromQuery // promql: the query and how its value maps to a weight

	Host    string        // Host header and TLS server name
	Expect  []StatusRange // http, https; empty means 200-299
	Match   *regexp.Regexp
	Headers []Header
	// AgentHeader names a response header read as agent words (see
	// ParseWord), for http and https; "": none is read.
	AgentHeader string
	TLS         TLS
	Source      netip.Addr // the local address probes leave from; zero: the kernel picks

	Interval time.Duration
	Timeout  time.Duration
	Rise     int
	Fall     int
	Slow     time.Duration // 0: latency never lowers the weight

	// ErrorWindow is how many recent probes the success ratio is taken
	// over (errors WINDOW); 0: failures count only in a row (fall).
	ErrorWindow int
	// MinSuccess is the success ratio below which a full window takes the
	// target down; 0: never.
	MinSuccess float64
}

// NewCheck returns a check with the defaults of the Corefile's check block.
// It is the one place they are set: a probe takes a Check's Interval,
// Timeout, Rise and Fall as they are.
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

// every is the interval a prober waits between probes: Interval, or
// DefaultInterval for a Check not built by NewCheck (its fields are
// exported) with none. The one guard left of that kind: firstDelay panics
// on an interval <= 0, and nextDelay would then probe in a busy loop.
func (c Check) every() time.Duration {
	if c.Interval <= 0 {
		return DefaultInterval
	}
	return c.Interval
}

// okStatus is what an empty Expect means: any 2xx.
var okStatus = []StatusRange{{Low: 200, High: 299}}

// Expected is the status codes counted as healthy: Expect, or any 2xx when
// it is empty. This is the one place that default is decided.
func (c Check) Expected() []StatusRange {
	if len(c.Expect) == 0 {
		return okStatus
	}
	return c.Expect
}

// expects reports whether an HTTP status code is in one of the Expect ranges.
func (c Check) expects(code int) bool {
	for _, r := range c.Expected() {
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
