package signer

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var signatures = promauto.NewCounterVec(prometheus.CounterOpts{
	Namespace: "coredns",
	Subsystem: "gslb",
	Name:      "dnssec_signatures_total",
	Help:      "Counter of RRsets signed for answers, by zone and result: made (signed now) or reused (from the signature cache).",
}, []string{"zone", "result"})
