package hostname

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// outcome is how a resolution (an A and an AAAA query) ended.
type outcome uint8

const (
	success  outcome = iota // addresses, fresh from the server
	nxdomain                // the name does not exist
	nodata                  // the name exists without A or AAAA records
	failure                 // a query got no definitive reply: timeout, SERVFAIL, REFUSED...
)

var outcomeNames = [...]string{success: "success", nxdomain: "nxdomain", nodata: "nodata", failure: "failure"}

var resolutions = promauto.NewCounterVec(prometheus.CounterOpts{
	Namespace: "coredns",
	Subsystem: "gslb",
	Name:      "hostname_resolutions_total",
	Help:      "Counter of background resolutions of host names (an A and an AAAA query each) by result: success, nxdomain, nodata or failure.",
}, []string{"result"})

// resolutionsBy are the series of resolutions by outcome, resolved once:
// the label set is small and fixed.
var resolutionsBy = func() (series [len(outcomeNames)]prometheus.Counter) {
	for o, name := range outcomeNames {
		series[o] = resolutions.WithLabelValues(name)
	}
	return series
}()
