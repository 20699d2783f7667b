package kube

import (
	"fmt"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// userAgent is how the API server's audit log and metrics name us.
const userAgent = "coredns-gslb"

// restConfig is how to reach c: its kubeconfig file (at its context, or the
// current one), its endpoint and TLS files, or the pod's ServiceAccount.
func restConfig(c Cluster) (*rest.Config, error) {
	var cfg *rest.Config
	var err error
	switch {
	case c.Kubeconfig != "":
		rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: c.Kubeconfig}
		overrides := &clientcmd.ConfigOverrides{CurrentContext: c.Context}
		cfg, err = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
		if err != nil {
			if c.Context != "" {
				return nil, fmt.Errorf("cluster %s: kubeconfig %s, context %q: %v", c.Name, c.Kubeconfig, c.Context, err)
			}
			return nil, fmt.Errorf("cluster %s: kubeconfig %s: %v", c.Name, c.Kubeconfig, err)
		}
	case c.Endpoint != "":
		// As the kubernetes plugin: the endpoint and TLS files, nothing else.
		cfg = &rest.Config{Host: c.Endpoint, TLSClientConfig: rest.TLSClientConfig{CertFile: c.TLS.Cert, KeyFile: c.TLS.Key, CAFile: c.TLS.CA}}
	default:
		if cfg, err = rest.InClusterConfig(); err != nil {
			return nil, fmt.Errorf("cluster %s: in-cluster configuration: %v", c.Name, err)
		}
	}
	cfg.UserAgent = userAgent
	// A list per informer at start and a watch each after: a few requests,
	// then bursts only when watches are re-established.
	cfg.QPS, cfg.Burst = 20, 50
	// No cfg.Timeout: it bounds every request, watches included, which it
	// would cut. The API check bounds its own request (checkTimeout).
	return cfg, nil
}

// clients are one cluster's API clients, shared by its informers: client-go
// shares one transport between clients of equal configurations anyway.
type clients struct {
	typed   kubernetes.Interface
	dynamic dynamic.Interface // Gateways, without a module of their types
}

// Check says whether c's configuration can be read: its kubeconfig and
// context, or its TLS files, or the pod's ServiceAccount. It reads files
// only and asks the API nothing, so setup can fail a start or a reload at
// the stanza's line rather than in OnStartup.
func Check(c Cluster) error {
	_, err := newClients(c)
	return err
}

// newClients builds the clients of c, or says why c cannot be reached: a
// kubeconfig that cannot be read, a TLS file missing.
func newClients(c Cluster) (clients, error) {
	cfg, err := restConfig(c)
	if err != nil {
		return clients{}, err
	}
	typed, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return clients{}, fmt.Errorf("cluster %s: %v", c.Name, err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return clients{}, fmt.Errorf("cluster %s: %v", c.Name, err)
	}
	return clients{typed, dyn}, nil
}
