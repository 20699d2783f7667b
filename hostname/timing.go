package hostname

import "time"

// DefaultGrace is how long a name's Result is kept after its last lease is
// released, so that a reload which acquires it again finds it at once.
const DefaultGrace = 30 * time.Second

// timing holds a registry's durations; tests shorten them.
type timing struct {
	timeout    time.Duration // one query message's wait for its reply
	minTTL     time.Duration // every TTL is at least this,
	maxTTL     time.Duration // a positive one at most this,
	maxNegTTL  time.Duration // a negative one at most this,
	noSOA      time.Duration // and a negative answer without an SOA this
	backoffMin time.Duration // the wait after a failed resolution,
	backoffMax time.Duration // doubling with each further one up to this
}

var defaultTiming = timing{
	timeout:    2 * time.Second,
	minTTL:     time.Second, // TTL 0 must not make a busy loop
	maxTTL:     time.Hour,   // a name that moves is seen within the hour whatever its TTL
	maxNegTTL:  5 * time.Minute,
	noSOA:      5 * time.Second,
	backoffMin: time.Second,
	backoffMax: 30 * time.Second,
}

// clamp is the TTL of ttl seconds within [t.minTTL, most].
func (t *timing) clamp(ttl uint32, most time.Duration) time.Duration {
	return min(max(time.Duration(ttl)*time.Second, t.minTTL), most)
}

// backoff is the wait after the n-th failed resolution in a row (n >= 1).
func (t *timing) backoff(n int) time.Duration {
	d := t.backoffMin
	for i := 1; i < n && d < t.backoffMax; i++ {
		d *= 2
	}
	return min(d, t.backoffMax)
}
