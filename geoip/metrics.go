package geoip

import (
	"github.com/coredns/coredns/plugin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var reloads = promauto.NewCounterVec(prometheus.CounterOpts{
	Namespace: plugin.Namespace,
	Subsystem: "gslb",
	Name:      "geoip_reloads_total",
	Help:      "GeoIP database reloads after the file changed, by result (success, error).",
}, []string{"result"})
