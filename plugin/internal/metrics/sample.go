package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// A scrape's samples write themselves into the registry's dto.Metric, with
// label pairs made once per scrape and shared by every sample that has
// them: the zone, each pool, member and record. prometheus.MustNewConstMetric
// validates, copies and sorts every label of every sample, about ten small
// allocations each, which at 40,000 members was most of a scrape's cost.
// Label values point into the configuration, which does not change.

// Label names, in the sorted order each sample lists its labels in.
var (
	labelMember   = "member"
	labelOverride = "override"
	labelSignal   = "signal"
	labelPool     = "pool"
	labelRecord   = "record"
	labelSource   = "source"
	labelZone     = "zone"
)

// gaugeSample and counterSample are one sample each. They are made in
// chunks and never copied: a dto message must not be.
type gaugeSample struct {
	desc   *prometheus.Desc
	labels []*dto.LabelPair
	value  float64
	gauge  dto.Gauge
}

func (s *gaugeSample) Desc() *prometheus.Desc { return s.desc }

func (s *gaugeSample) Write(m *dto.Metric) error {
	s.gauge.Value = &s.value
	m.Label, m.Gauge = s.labels, &s.gauge
	return nil
}

type counterSample struct {
	desc    *prometheus.Desc
	labels  []*dto.LabelPair
	value   float64
	counter dto.Counter
}

func (s *counterSample) Desc() *prometheus.Desc { return s.desc }

func (s *counterSample) Write(m *dto.Metric) error {
	s.counter.Value = &s.value
	m.Label, m.Counter = s.labels, &s.counter
	return nil
}

// scrape makes one stanza's samples, from chunks sized for the stanza.
type scrape struct {
	ch       chan<- prometheus.Metric
	chunk    int
	gauges   []gaugeSample
	counters []counterSample
	sets     []*dto.LabelPair
	pairs    []dto.LabelPair
}

// pair returns a label pair that samples of this scrape share.
func (sc *scrape) pair(name, value *string) *dto.LabelPair {
	if len(sc.pairs) == 0 {
		sc.pairs = make([]dto.LabelPair, sc.chunk)
	}
	p := &sc.pairs[0]
	sc.pairs = sc.pairs[1:]
	p.Name, p.Value = name, value
	return p
}

// labels returns pairs as a sample's label set, which must be in name order.
func (sc *scrape) labels(pairs ...*dto.LabelPair) []*dto.LabelPair {
	if len(sc.sets) < len(pairs) {
		sc.sets = make([]*dto.LabelPair, max(sc.chunk, len(pairs)))
	}
	set := sc.sets[:len(pairs):len(pairs)]
	sc.sets = sc.sets[len(pairs):]
	copy(set, pairs)
	return set
}

// gauge sends a gauge sample.
func (sc *scrape) gauge(d *prometheus.Desc, value float64, labels []*dto.LabelPair) {
	if len(sc.gauges) == 0 {
		sc.gauges = make([]gaugeSample, sc.chunk)
	}
	s := &sc.gauges[0]
	sc.gauges = sc.gauges[1:]
	s.desc, s.value, s.labels = d, value, labels
	sc.ch <- s
}

// counter sends a counter sample; a counter that never counted has none,
// as a vector's series appears at its first count.
func (sc *scrape) counter(d *prometheus.Desc, value uint64, labels []*dto.LabelPair) {
	if value == 0 {
		return
	}
	if len(sc.counters) == 0 {
		sc.counters = make([]counterSample, sc.chunk)
	}
	s := &sc.counters[0]
	sc.counters = sc.counters[1:]
	s.desc, s.value, s.labels = d, float64(value), labels
	sc.ch <- s
}
