package kube

import (
	"fmt"
	"net/netip"

	"k8s.io/apimachinery/pkg/labels"
)

// TLS is a client certificate, its key and the server's CA, as files: the
// kubernetes plugin's `tls CERT KEY CACERT`.
type TLS struct {
	Cert, Key, CA string
}

// Cluster is how to reach one API server: a kubeconfig file (at a context,
// or its current one), or an endpoint with TLS files, or neither, for the
// in-cluster ServiceAccount. Comparable: the registry shares watches by it.
type Cluster struct {
	Name       string // the Corefile's name for it: the metric label and the logs'
	Kubeconfig string
	Context    string
	Endpoint   string
	TLS        TLS
}

// Kind is the kind of object members are taken from.
type Kind uint8

// The kinds of objects a pool's members can come from.
const (
	Service Kind = iota + 1 // status.loadBalancer.ingress of a LoadBalancer Service
	Ingress                 // status.loadBalancer.ingress of an Ingress
	Gateway                 // status.addresses of a Gateway API Gateway
)

var kindNames = [...]string{Service: "service", Ingress: "ingress", Gateway: "gateway"}

func (k Kind) String() string { return kindNames[k] }

// KindOf returns the kind named s (service, ingress, gateway), or 0.
func KindOf(s string) Kind {
	for k, name := range kindNames {
		if name != "" && name == s {
			return Kind(k)
		}
	}
	return 0
}

// Source is one line of a pool that takes members from a cluster: one
// object by namespace and name, or the objects of a namespace (every
// namespace when Namespace is "") that a label selector matches.
type Source struct {
	Cluster   Cluster
	Kind      Kind
	Namespace string
	Name      string // one object; "" with a selector
	Selector  string // a label selector, as kubectl's -l; "" with a name
}

// String is how logs, reasons and the status page name the source:
// "service prod/web", "gateway * app=edge".
func (s Source) String() string {
	ns := s.Namespace
	if ns == "" {
		ns = "*"
	}
	if s.Name != "" {
		return s.Kind.String() + " " + ns + "/" + s.Name
	}
	return s.Kind.String() + " " + ns + " " + s.Selector
}

// ParseSelector checks a label selector's syntax, as kubectl reads it.
func ParseSelector(s string) error {
	if _, err := labels.Parse(s); err != nil {
		return fmt.Errorf("label selector %q: %v", s, err)
	}
	return nil
}

// Found is one member a source discovered: one address (or load balancer
// host name) of one object, with whether the object's whole path is ready
// to take traffic.
type Found struct {
	Addr netip.Addr // invalid for a host name
	// Host is a load balancer's host name, fully qualified, lower case,
	// with the final dot; "" for an address.
	Host string
	// Object names the object: "service prod/web".
	Object string
	// Ready is false when the object cannot take traffic whatever its
	// address answers: a Service (or every backend Service of an Ingress)
	// without a ready endpoint, a Gateway that is not programmed.
	Ready bool
	// Reason says why it is not Ready.
	Reason string
}

// PublicAddress is the annotation that gives an object's public addresses
// (comma-separated addresses or host names) for a cluster behind NAT: they
// replace the addresses of its status. ExternalDNS's target annotation is
// read when it is absent, so an object annotated for ExternalDNS needs no
// second one.
const (
	PublicAddress     = "gslb.io/public-address"
	ExternalDNSTarget = "external-dns.alpha.kubernetes.io/target"
)
