// Package status serves the read-only status API (and the page) of the
// gslb stanzas of a process: what each zone's records, pools and members
// are now, and why a client gets the answer it gets. Stanzas join the
// listener of their address in OnStartup and leave it in OnShutdown; a
// reload joins before the old configuration leaves, so the listener, like
// CoreDNS's own, lives across reloads. The JSON fields are documented in
// README.md (Status API); version 1 only adds fields, never renames them.
package status

import "time"

// Version is the API's version, the first element of its paths.
const Version = 1

// Report is GET /v1/status: every stanza on the listener.
type Report struct {
	Version   int       `json:"version"`
	Generated time.Time `json:"generated"`
	Stanzas   []Stanza  `json:"stanzas"`
}

// Stanza is one gslb stanza as it answers now.
type Stanza struct {
	Zones     []string   `json:"zones"`
	Compiled  time.Time  `json:"compiled"` // when the answers in use were compiled
	Records   []Record   `json:"records"`
	Pools     []Pool     `json:"pools"`
	Overrides []Override `json:"overrides"`       // in force, in the order they apply
	Store     *Store     `json:"store,omitempty"` // the fleet's store, when the stanza has one
}

// Record is one record block.
type Record struct {
	Names     []string `json:"names"`
	Policy    string   `json:"policy"`
	Pools     []string `json:"pools"` // priority order
	Routes    []Route  `json:"routes,omitempty"`
	Answers   int      `json:"answers"`
	TTL       uint32   `json:"ttl"`
	OnAllDown string   `json:"on_all_down"`
	AllDown   bool     `json:"all_down"` // no pool is eligible: answers come from on_all_down
	CNAME     bool     `json:"cname"`    // answers with a CNAME to a host-name member
	Services  []string `json:"services,omitempty"`
}

// Route is one geo route of a record.
type Route struct {
	Pool   string   `json:"pool"`
	Kind   string   `json:"kind"`
	Values []string `json:"values"`
}

// Pool is one pool and its members' state.
type Pool struct {
	Name            string   `json:"name"`
	Weight          int      `json:"weight"`           // configured
	EffectiveWeight int      `json:"effective_weight"` // after overrides
	MinHealthy      int      `json:"min_healthy"`
	Healthy         int      `json:"healthy"` // members up and not drained
	Checks          []string `json:"checks,omitempty"`
	Members         []Member `json:"members"`
}

// Member is one member: as configured and as the answers see it now.
type Member struct {
	Member    string             `json:"member"` // address or host name
	Weight    int                `json:"weight"`
	Addresses []string           `json:"addresses,omitempty"` // what a host name resolves to now
	From      string             `json:"from,omitempty"`      // the Kubernetes object it was found in: "service prod/web"
	State     string             `json:"state"`               // up, degraded, drained or down
	Factor    float64            `json:"factor"`              // 1 at full weight
	Signals   map[string]float64 `json:"signals"`             // slow, errors, agent, metric: each factor
	Reason    string             `json:"reason,omitempty"`    // why it is not up
	Forced    string             `json:"forced,omitempty"`    // up or down, by an override
	Local     *Verdict           `json:"local,omitempty"`     // this instance's own verdict, with a store
	Votes     []Vote             `json:"votes,omitempty"`     // each live observer's vote, with a store
}

// Verdict is a member's state as one source sees it.
type Verdict struct {
	Up     bool    `json:"up"`
	Factor float64 `json:"factor"`
	Reason string  `json:"reason,omitempty"`
}

// Vote is one observer's vote in the fleet's store.
type Vote struct {
	Observer string    `json:"observer"`
	State    string    `json:"state"` // up, down or unknown
	Factor   float64   `json:"factor"`
	Since    time.Time `json:"since"`
	Error    string    `json:"error,omitempty"`
}

// Override is one override in force.
type Override struct {
	Source string `json:"source"` // the override file's path or the store's key
	Line   int    `json:"line"`
	Op     string `json:"op"`
	Target string `json:"target"`
	Weight int    `json:"weight,omitempty"`
}

// Store is the fleet's store as this instance sees it.
type Store struct {
	Connected bool       `json:"connected"`
	Usable    bool       `json:"usable"` // its verdicts are followed
	Observers []Observer `json:"observers"`
}

// Observer is one live observer.
type Observer struct {
	Name     string `json:"name"`
	Isolated bool   `json:"isolated"`
	Votes    int    `json:"votes"`
}
