package kube

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var apiUp = promauto.NewGaugeVec(prometheus.GaugeOpts{
	Namespace: "coredns",
	Subsystem: "gslb",
	Name:      "kubernetes_api_up",
	Help:      "Gauge of whether a cluster's Kubernetes API answers (1) or not (0), by the cluster's name; while it does not, its pools keep their last known members.",
}, []string{"cluster"})

var watchErrors = promauto.NewCounterVec(prometheus.CounterOpts{
	Namespace: "coredns",
	Subsystem: "gslb",
	Name:      "kubernetes_watch_errors_total",
	Help:      "Counter of failed lists and watches of a cluster's objects (the informer tries again), by the cluster's name.",
}, []string{"cluster"})

// forgetSeries deletes a cluster's series once no cluster of its name is
// kept: a cluster the configuration dropped leaves no stale gauge.
func forgetSeries(name string) {
	apiUp.DeleteLabelValues(name)
	watchErrors.DeleteLabelValues(name)
}
