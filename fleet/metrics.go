package fleet

import (
	clog "github.com/coredns/coredns/plugin/pkg/log"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var log = clog.NewWithPlugin("gslb")

func opts(name, help string) prometheus.Opts {
	return prometheus.Opts{Namespace: "coredns", Subsystem: "gslb", Name: name, Help: help}
}

// The store's series, by prefix: an instance normally joins one store.
var (
	storeConnected = promauto.NewGaugeVec(prometheus.GaugeOpts(opts("store_connected",
		"1 while the fleet store answers, 0 while it is unreachable.")), []string{"prefix"})
	storeFallback = promauto.NewGaugeVec(prometheus.GaugeOpts(opts("store_local_fallback",
		"1 while this instance answers by its own verdicts: the store has been unreachable for more than a lease, or never answered.")), []string{"prefix"})
	storeObservers = promauto.NewGaugeVec(prometheus.GaugeOpts(opts("store_observers",
		"Live observers registered in the store, this instance included.")), []string{"prefix"})
	storeIsolated = promauto.NewGaugeVec(prometheus.GaugeOpts(opts("store_observer_isolated",
		"For each live observer: 1 when it is found cut off (it sees down much of what every other observer sees up) and its votes are not counted, else 0.")), []string{"prefix", "observer"})
	storeVotes = promauto.NewGaugeVec(prometheus.GaugeOpts(opts("store_votes",
		"Votes the live observers hold in the store, by state: up, down, unknown (not decided yet, not counted).")), []string{"prefix", "state"})
	storeTransactions = promauto.NewCounterVec(prometheus.CounterOpts(opts("store_transactions_total",
		"Transactions this instance committed to the store, each writing up to 128 votes.")), []string{"prefix"})
	storeWrites = promauto.NewCounterVec(prometheus.CounterOpts(opts("store_writes_total",
		"Votes this instance wrote to the store, by operation: put, delete.")), []string{"prefix", "op"})
	storeErrors = promauto.NewCounterVec(prometheus.CounterOpts(opts("store_errors_total",
		"Failed requests to the store by operation: connect, lease, keepalive, write, read, decode (a value that is not a vote).")), []string{"prefix", "op"})
)

// sessionMetrics are one session's series, resolved once.
type sessionMetrics struct {
	prefix                      string
	connected, fallback         prometheus.Gauge
	observers                   prometheus.Gauge
	isolated, votes             *prometheus.GaugeVec
	transactions, puts, deletes prometheus.Counter
	errors                      *prometheus.CounterVec
}

func newSessionMetrics(prefix string) sessionMetrics {
	l := prometheus.Labels{"prefix": prefix}
	return sessionMetrics{
		prefix:    prefix,
		connected: storeConnected.With(l), fallback: storeFallback.With(l), observers: storeObservers.With(l),
		isolated: storeIsolated.MustCurryWith(l), votes: storeVotes.MustCurryWith(l),
		transactions: storeTransactions.With(l),
		puts:         storeWrites.WithLabelValues(prefix, "put"), deletes: storeWrites.WithLabelValues(prefix, "delete"),
		errors: storeErrors.MustCurryWith(l),
	}
}

// forget drops the gauges of a closed session; counters stay, as counters do.
func (m *sessionMetrics) forget() {
	l := prometheus.Labels{"prefix": m.prefix}
	storeConnected.Delete(l)
	storeFallback.Delete(l)
	storeObservers.Delete(l)
	storeIsolated.DeletePartialMatch(l)
	storeVotes.DeletePartialMatch(l)
}
