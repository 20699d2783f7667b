package healthcheck

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxQueryBody bounds an answer read: one sample is a few hundred bytes,
// and a query matching a whole fleet is refused as empty anyway.
const maxQueryBody = 1 << 20

// promqlClient is every promql probe's: one pool of connections per
// Prometheus server for the process, so 1,000 pools' probes share a few
// connections instead of holding 1,000 (above Prometheus's default
// --web.max-connections of 512). A probe's deadline comes from its context.
var promqlClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32, IdleConnTimeout: time.Minute}}

// promqlProbe runs a PromQL instant query and reads its value as a Word.
// Its run never fails: Prometheus down, an error, no value or NaN is no
// news of the member, so it must not count towards fall or flap the
// member. The last good value's word is held until it is stale, then the
// signal is neutral. Each change of condition is logged once.
type promqlProbe struct {
	client  *http.Client
	url     string // the query URL, built once
	q       PromQuery
	stale   time.Duration
	what    string
	metrics promqlMetrics

	goodAt time.Time // when the last good value was read; the probe's start before any
	word   Word      // what lastWord says: good while fresh, else neutral
	cond   string    // the condition last logged: "" while values come, or a promql* reason, or "stale"
}

func newPromQLProbe(t Target) *promqlProbe {
	q := t.Check.PromQL
	u := strings.TrimRight(q.URL, "/") + "/api/v1/query?" + url.Values{"query": {q.Query}}.Encode()
	return &promqlProbe{
		client:  promqlClient,
		url:     u,
		q:       q,
		stale:   q.staleAfter(t.Check.every()),
		what:    fmt.Sprintf("check %s: promql %s", t.Check.Name, t.Addr),
		metrics: newPromQLMetrics(t),
		goodAt:  time.Now(),
		word:    neutralWord,
	}
}

func (p *promqlProbe) run(ctx context.Context) error {
	v, err := p.query(ctx)
	now := time.Now()
	if err == nil {
		p.goodAt, p.word = now, p.q.word(v)
		p.metrics.setStale(false)
		p.note("", nil)
		return nil
	}
	f, _ := err.(*queryFailure)
	p.metrics.failed(f.cond)
	if now.Sub(p.goodAt) <= p.stale {
		p.note(f.cond, err) // held: the word stays as it was
		return nil
	}
	p.word = neutralWord
	p.metrics.setStale(true)
	p.note("stale", err)
	return nil
}

// query asks Prometheus; every error it returns is a *queryFailure.
func (p *promqlProbe) query(ctx context.Context) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return 0, &queryFailure{promqlUnreachable, err}
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, &queryFailure{promqlUnreachable, err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxQueryBody))
	if err != nil {
		return 0, &queryFailure{promqlUnreachable, err}
	}
	return parseQueryResponse(body) // error answers (400, 422, 503) carry the API's JSON too
}

// note logs a change of condition, once: not every interval.
func (p *promqlProbe) note(cond string, err error) {
	if cond == p.cond {
		return
	}
	switch {
	case cond == "":
		log.Infof("%s: values again", p.what)
	case cond == "stale":
		log.Warningf("%s: no value for %s (%v): ignored until one comes", p.what, p.stale, err)
	case p.cond == "":
		log.Warningf("%s: no value (%v): the last one holds for up to %s", p.what, err, p.stale)
	default:
		log.Warningf("%s: still no value (%v)", p.what, err)
	}
	p.cond = cond
}

func (p *promqlProbe) lastWord() Word { return p.word }

// close leaves the shared connections to the other probes; idle ones
// close after a minute.
func (p *promqlProbe) close() { p.metrics.forget() }
