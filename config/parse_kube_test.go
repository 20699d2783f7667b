package config

import (
	"strings"
	"testing"

	"github.com/gslb/gslb/kube"
)

// Pools take members from clusters: each source resolved to its cluster,
// the pool's own or the stanza's only one, and the records that answer
// from such a pool flattened.
func TestParseDiscovery(t *testing.T) {
	f := newFiles(t)
	cfg := mustParse(t, f.expand(stanza(`
kubernetes eu {
    kubeconfig {CA} eu-context
}
kubernetes us {
    endpoint https://127.0.0.1:6443
    tls {CERT} {KEY} {CA}
}
pool eu {
    cluster eu
    service prod/web
    ingress * app=web, tier in (front, edge)
}
pool us {
    cluster us
    member 192.0.2.10
    gateway infra/edge
}
record app {
    pools eu us
}`)))
	if len(cfg.Clusters) != 2 || cfg.Clusters[0].Kubeconfig != f["{CA}"] || cfg.Clusters[0].Context != "eu-context" || cfg.Clusters[0].Line != 2 {
		t.Fatalf("clusters %+v", cfg.Clusters)
	}
	us := kube.Cluster{Name: "us", Endpoint: "https://127.0.0.1:6443", TLS: kube.TLS{Cert: f["{CERT}"], Key: f["{KEY}"], CA: f["{CA}"]}}
	if cfg.Clusters[1].Cluster != us {
		t.Fatalf("cluster us = %+v, want %+v", cfg.Clusters[1].Cluster, us)
	}
	want := []Discovery{
		{Pool: 0, File: testFile, Line: 11, Source: kube.Source{Cluster: cfg.Clusters[0].Cluster, Kind: kube.Service, Namespace: "prod", Name: "web"}},
		{Pool: 0, File: testFile, Line: 12, Source: kube.Source{Cluster: cfg.Clusters[0].Cluster, Kind: kube.Ingress, Selector: "app=web, tier in (front, edge)"}},
		{Pool: 1, File: testFile, Line: 17, Source: kube.Source{Cluster: us, Kind: kube.Gateway, Namespace: "infra", Name: "edge"}},
	}
	if len(cfg.Discovery) != len(want) {
		t.Fatalf("discovery %+v, want %+v", cfg.Discovery, want)
	}
	for i := range want {
		if cfg.Discovery[i] != want[i] {
			t.Errorf("discovery[%d] = %+v, want %+v", i, cfg.Discovery[i], want[i])
		}
	}
	if !cfg.Records[0].Flatten {
		t.Error("a record answering from discovered pools is not flattened")
	}
	if !cfg.Discovers(0) || !cfg.Discovers(1) {
		t.Error("Discovers is false for a pool with discovery lines")
	}
	if got := cfg.Discovery[1].Source.String(); got != "ingress * app=web, tier in (front, edge)" {
		t.Errorf("source string %q", got)
	}
}

// Without a kubernetes block, a pool's objects are in the cluster gslb
// runs in; one block is every pool's without a cluster line.
func TestParseDiscoveryDefaultCluster(t *testing.T) {
	cfg := mustParse(t, stanza(`
pool eu {
    service prod/web
}
record app {
    pools eu
}`))
	if got := cfg.Discovery[0].Source.Cluster; got != (kube.Cluster{Name: DefaultCluster}) {
		t.Errorf("cluster %+v, want the in-cluster default", got)
	}
	cfg = mustParse(t, stanza(`
kubernetes {
}
pool eu {
    service prod/web
}
record app {
    pools eu
}`))
	if got := cfg.Discovery[0].Source.Cluster; got != (kube.Cluster{Name: DefaultCluster}) {
		t.Errorf("cluster %+v, want the stanza's empty kubernetes block", got)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("warnings %v", cfg.Warnings)
	}
}

func TestParseDiscoveryErrors(t *testing.T) {
	record := "\nrecord app {\n    pools eu\n}"
	runErrorCases(t, []errorCase{
		{"bad selector", stanza("\npool eu {\n    service prod app==(  # <-\n}" + record), []string{`pool "eu": service: label selector "app==("`}},
		{"bad name", stanza("\npool eu {\n    service /web # <-\n}" + record), []string{`pool "eu": service: expected NAMESPACE/NAME, got "/web"`}},
		{"no argument", stanza("\npool eu {\n    gateway # <-\n}" + record), []string{`pool "eu": gateway: expected NAMESPACE/NAME, or a NAMESPACE (* for all) and a label selector`}},
		{"unknown cluster", stanza("\nkubernetes eu\npool eu {\n    cluster us # <-\n    service prod/web\n}" + record), []string{`pool "eu": cluster "us": expected the name of a kubernetes block`}},
		{"which cluster", stanza("\nkubernetes eu\nkubernetes us\npool eu {\n    service prod/web # <-\n}" + record), []string{`the stanza has 2 kubernetes blocks: expected a cluster line`}},
		{"cluster without sources", stanza("\nkubernetes eu\npool eu {\n    member 192.0.2.10\n    cluster eu # <-\n}" + record), []string{`cluster: expected service, ingress or gateway lines`}},
		{"cluster twice", stanza("\nkubernetes eu\nkubernetes eu # <-" + poolEU + record), []string{`kubernetes eu: defined twice (first on line 2)`}},
		{"missing kubeconfig", stanza("\nkubernetes eu {\n    kubeconfig /nonexistent/kubeconfig # <-\n}" + poolEU + record), []string{`kubeconfig: expected an existing file`}},
		{"kubeconfig and endpoint", stanza("\nkubernetes eu { # <-\n    kubeconfig {CA}\n    endpoint https://127.0.0.1:6443\n}" + poolEU + record), []string{`kubeconfig names the server and its credentials`}},
		{"bad endpoint", stanza("\nkubernetes eu {\n    endpoint 127.0.0.1:6443 # <-\n}" + poolEU + record), []string{`endpoint: expected a URL such as https://10.0.0.1:6443`}},
		{"unknown option", stanza("\nkubernetes eu {\n    namespaces prod # <-\n}" + poolEU + record), []string{`kubernetes eu: unknown option "namespaces": expected kubeconfig, endpoint or tls`}},
		{"host names beside", stanza("\npool eu {\n    member lb.example.net. # <-\n    service prod/web\n}" + record), []string{`a pool that takes members from a cluster answers with addresses`}},
	})
}

// A kubernetes block no pool uses runs, with a warning at its line.
func TestParseUnusedCluster(t *testing.T) {
	cfg := mustParse(t, stanza("\nkubernetes eu"+poolEU+"\nrecord app {\n    pools eu\n}"))
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0].Error(), ":2 - kubernetes eu: no pool takes members from it") {
		t.Errorf("warnings %v", cfg.Warnings)
	}
}
