package kube

import (
	"slices"
	"strings"
)

// Rule is one permission a set of sources needs: list and watch of one
// resource in one namespace ("" for every namespace, a ClusterRole's).
type Rule struct {
	Cluster   string // Cluster.Name
	APIGroup  string // "" for the core group
	Resource  string
	Namespace string
}

// Verbs are what every Rule needs: informers list, then watch.
var Verbs = []string{"list", "watch"}

// resources are what the watches of a kind read: the objects, and the
// EndpointSlices that say whether their path has a ready endpoint.
var resources = map[Kind][][2]string{
	Service: {{"", "services"}, {"discovery.k8s.io", "endpointslices"}},
	Ingress: {{"networking.k8s.io", "ingresses"}, {"discovery.k8s.io", "endpointslices"}},
	Gateway: {{"gateway.networking.k8s.io", "gateways"}},
}

// Rules are the permissions the watches of sources need, each once, in a
// stable order: what a Role or ClusterRole for gslb's ServiceAccount must
// grant, and no more.
func Rules(sources []Source) []Rule {
	var out []Rule
	for _, s := range sources {
		for _, r := range resources[s.Kind] {
			rule := Rule{Cluster: s.Cluster.Name, APIGroup: r[0], Resource: r[1], Namespace: s.Namespace}
			if !slices.Contains(out, rule) {
				out = append(out, rule)
			}
		}
	}
	slices.SortFunc(out, func(a, b Rule) int {
		return strings.Compare(a.Cluster+"\x00"+a.Namespace+"\x00"+a.APIGroup+"\x00"+a.Resource, b.Cluster+"\x00"+b.Namespace+"\x00"+b.APIGroup+"\x00"+b.Resource)
	})
	return out
}
