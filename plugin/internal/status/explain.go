package status

// Query is GET /v1/explain's question: what would a query for Name and
// Type from Client get now.
type Query struct {
	Name string // fully qualified, lower case
	Type uint16
	// Client is the address or subnet answers are tailored to; Subnet is
	// set when it was given as a subnet (sent as the client subnet option
	// from Resolver) rather than an address (the query's own source).
	Client   string
	Subnet   bool
	Resolver string // the transport source of a subnet query; default 127.0.0.1
	// Country (ISO code) or ASN, instead of Client: a client the stanza's
	// GeoIP database places there.
	Country string
	ASN     uint32
}

// Explanation is the decision the query path makes for a Query, made by
// the query path itself.
type Explanation struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Client Client `json:"client"`
	Record string `json:"record,omitempty"` // the record that owns the name; "" for none
	// Policy, Matched, Location and Pools are how the record ordered its
	// pools for the client, as the debug log says it.
	Policy   string       `json:"policy,omitempty"`
	Matched  string       `json:"matched,omitempty"`
	Location string       `json:"location,omitempty"`
	Pools    []PoolReason `json:"pools,omitempty"`
	Answer   Answer       `json:"answer"`
}

// Client is who the answer was made for.
type Client struct {
	Address string `json:"address"` // as used, with its prefix length
	Source  string `json:"source"`  // ecs, or why the transport source was used
}

// PoolReason is one pool in the client's order and why it was taken or
// skipped.
type PoolReason struct {
	Pool   string  `json:"pool"`
	Usable bool    `json:"usable"`
	Why    string  `json:"why"`
	Weight int     `json:"weight,omitempty"`
	Share  float64 `json:"share,omitempty"`
	Chosen bool    `json:"chosen"`
}

// Answer is the reply the query path wrote.
type Answer struct {
	Rcode   string   `json:"rcode"`
	Action  string   `json:"action"` // answer, nodata, nxdomain, cname, all down: on_all_down ..., passed to the next plugin
	Pool    string   `json:"pool,omitempty"`
	Records []string `json:"records,omitempty"` // the answer section, as zone-file lines
	TTL     uint32   `json:"ttl,omitempty"`
	Scope   int      `json:"scope"` // the ECS scope the reply carries (0 without a subnet)
}
