package plugin

import (
	"github.com/gslb/gslb/plugin/internal/metrics"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// The collector's metrics under the names of the vectors they replaced,
// so tests read them as before: WithLabelValues, then testutil.ToFloat64.
var (
	memberHealthy  = series{metrics.MemberHealthy, []string{"zone", "pool", "member"}, nil}
	memberOverride = series{metrics.MemberOverride, []string{"zone", "pool", "member", "override"}, nil}
	poolWeight     = series{metrics.PoolWeight, []string{"zone", "pool", "source"}, nil}
	queries        = series{metrics.Queries, []string{"zone", "record"}, nil}
	answers        = series{metrics.Answers, []string{"zone", "record", "pool"}, nil}
	failovers      = series{metrics.Failovers, []string{"zone", "record"}, nil}
)

// series is a prometheus.Collector of the scraped series of one metric,
// all of them or those with the given label values.
type series struct {
	desc   *prometheus.Desc
	labels []string
	values []string
}

func (s series) WithLabelValues(values ...string) series {
	s.values = values
	return s
}

func (s series) Describe(ch chan<- *prometheus.Desc) { ch <- s.desc }

func (s series) Collect(ch chan<- prometheus.Metric) {
	all := make(chan prometheus.Metric)
	go func() { metrics.Process.Collect(all); close(all) }()
	for m := range all {
		if m.Desc() == s.desc && s.matches(m) {
			ch <- m
		}
	}
}

func (s series) matches(m prometheus.Metric) bool {
	if s.values == nil {
		return true
	}
	var pb dto.Metric
	if err := m.Write(&pb); err != nil {
		return false
	}
	for _, l := range pb.Label {
		if i := slices.Index(s.labels, l.GetName()); i < 0 || s.values[i] != l.GetValue() {
			return false
		}
	}
	return true
}

// value is the series' value, 0 when it does not exist (a counter that
// never counted).
func (s series) value() float64 {
	ch := make(chan prometheus.Metric)
	go func() { s.Collect(ch); close(ch) }()
	var v float64
	for m := range ch {
		var pb dto.Metric
		m.Write(&pb)
		v += pb.GetCounter().GetValue() + pb.GetGauge().GetValue()
	}
	return v
}
