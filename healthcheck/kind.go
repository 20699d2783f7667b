package healthcheck

// Kind is the protocol a check speaks.
type Kind int

// The probe kinds of the Corefile's check block.
const (
	HTTP Kind = iota + 1
	HTTPS
	TCP
	DNS
	GRPC
	Agent  // HAProxy's agent protocol: the backend's word on a port of its own
	PromQL // a Prometheus query: a metric's value as the member's weight
)

var kindNames = map[Kind]string{HTTP: "http", HTTPS: "https", TCP: "tcp", DNS: "dns", GRPC: "grpc", Agent: "agent", PromQL: "promql"}

func (k Kind) String() string { return kindNames[k] }

// KindOf returns the kind named s, or 0 when there is none.
func KindOf(s string) Kind {
	for k, name := range kindNames {
		if name == s {
			return k
		}
	}
	return 0
}
