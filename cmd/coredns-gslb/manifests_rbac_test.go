package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coredns/caddy"
	"github.com/coredns/caddy/caddyfile"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/kube"
)

// kubernetesPluginNeeds are what CoreDNS's kubernetes plugin lists and
// watches, as its README gives them (pods only with `pods verified`).
var kubernetesPluginNeeds = []kube.Rule{
	{APIGroup: "", Resource: "services"},
	{APIGroup: "", Resource: "namespaces"},
	{APIGroup: "discovery.k8s.io", Resource: "endpointslices"},
}

// variantRules are the permissions a variant's stanza needs, by cluster:
// kube.Rules of its pools' sources.
func variantRules(t *testing.T, m *manifests) map[string][]kube.Rule {
	t.Helper()
	byCluster := map[string][]kube.Rule{}
	for _, cfg := range parseStanzas(t, m) {
		var sources []kube.Source
		for _, d := range cfg.Discovery {
			sources = append(sources, d.Source)
		}
		for _, r := range kube.Rules(sources) {
			byCluster[r.Cluster] = append(byCluster[r.Cluster], r)
		}
	}
	return byCluster
}

// parseStanzas reads a variant's ConfigMap Corefile as CoreDNS would in
// the pod ({$VAR}s from the environment), its gslb.conf imported with the
// clusters' kubeconfig at a closed port (the Secret's file is not here),
// and parses each of its gslb stanzas.
func parseStanzas(t *testing.T, m *manifests) []*config.Config {
	t.Helper()
	dir := t.TempDir()
	stanza := kubeconfigAt(m.configMap.Data["gslb.conf"], closedKubeconfig(t, m))
	if err := os.WriteFile(filepath.Join(dir, "gslb.conf"), []byte(stanza), 0o644); err != nil {
		t.Fatal(err)
	}
	corefile := strings.ReplaceAll(m.configMap.Data["Corefile"], "/etc/coredns/gslb.conf", filepath.Join(dir, "gslb.conf"))
	blocks, err := caddyfile.Parse("Corefile", strings.NewReader(corefile), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []*config.Config
	for _, b := range blocks {
		tokens, ok := b.Tokens["gslb"]
		if !ok {
			continue
		}
		c := caddy.NewTestController("dns", "")
		c.Dispenser = caddyfile.NewDispenserTokens("Corefile", tokens)
		c.ServerBlockKeys = b.Keys
		cfg, err := config.Parse(c)
		if err != nil {
			t.Fatalf("server block %v: %v", b.Keys, err)
		}
		out = append(out, cfg)
	}
	return out
}

// granted are the (group, resource, namespace) triples rules grant list
// and watch on, exactly those verbs: a role that grants more verbs fails.
func granted(t *testing.T, namespace string, rules []rbacv1.PolicyRule) []kube.Rule {
	t.Helper()
	var out []kube.Rule
	for _, r := range rules {
		if !slices.Equal(r.Verbs, kube.Verbs) {
			t.Errorf("rule %+v grants %v, want exactly %v", r, r.Verbs, kube.Verbs)
		}
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				out = append(out, kube.Rule{APIGroup: g, Resource: res, Namespace: namespace})
			}
		}
	}
	return out
}

// TestManifestsRBACGrantsWhatThePoolsRead checks each variant's roles
// against what its stanza's pools read: every permission needed is
// granted, in the namespace it is needed in or cluster-wide, and nothing
// is granted that neither gslb nor (in the cluster DNS) the kubernetes
// plugin reads.
func TestManifestsRBACGrantsWhatThePoolsRead(t *testing.T) {
	t.Run("cluster-dns", func(t *testing.T) {
		m := loadManifests(t, "cluster-dns")
		needs := variantRules(t, m)
		if len(needs) != 1 || len(needs["local"]) == 0 {
			t.Fatalf("want the pools to read one cluster, local; they read %v", needs)
		}
		var grants []kube.Rule
		for _, r := range m.roles {
			grants = append(grants, granted(t, "", r.Rules)...)
		}
		checkGrants(t, grants, needs["local"], kubernetesPluginNeeds)
	})
	t.Run("gslb-dns", func(t *testing.T) {
		for _, variant := range []string{"gslb-dns", fleetVariant} {
			m := loadManifests(t, variant)
			if variant == fleetVariant {
				setFleetEnv(t, m, "")
			}
			needs := variantRules(t, m)
			member := loadManifests(t, filepath.Join("gslb-dns", "member-cluster"))
			var grants []kube.Rule
			for _, r := range member.namespaced {
				grants = append(grants, granted(t, r.Namespace, r.Rules)...)
			}
			if len(needs) != 2 {
				t.Fatalf("%s: want the pools to read two clusters, they read %v", variant, needs)
			}
			for cluster, rules := range needs {
				checkGrants(t, grants, rules, nil)
				if t.Failed() {
					t.Fatalf("%s: cluster %s", variant, cluster)
				}
			}
		}
	})
}

// checkGrants fails unless grants cover needs, and every grant is needed,
// by gslb or by others.
func checkGrants(t *testing.T, grants, needs, others []kube.Rule) {
	t.Helper()
	covers := func(g, n kube.Rule) bool {
		return g.APIGroup == n.APIGroup && g.Resource == n.Resource && (g.Namespace == "" || g.Namespace == n.Namespace)
	}
	for _, n := range needs {
		if !slices.ContainsFunc(grants, func(g kube.Rule) bool { return covers(g, n) }) {
			t.Errorf("no role grants list, watch on %s %q in namespace %q", n.APIGroup, n.Resource, n.Namespace)
		}
	}
	for _, g := range grants {
		used := slices.ContainsFunc(needs, func(n kube.Rule) bool { return covers(g, n) }) ||
			slices.ContainsFunc(others, func(o kube.Rule) bool { return o.APIGroup == g.APIGroup && o.Resource == g.Resource })
		if !used {
			t.Errorf("a role grants %s %q (namespace %q) that nothing reads", g.APIGroup, g.Resource, g.Namespace)
		}
	}
}
