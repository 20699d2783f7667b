package main

import (
	"net"
	"path/filepath"
	"regexp"
	"testing"

	"k8s.io/client-go/rest"

	"github.com/gslb/gslb/internal/kubetest"
)

// kubeconfigAt makes a stanza's kubernetes blocks read kubeconfig: a block
// without options (the cluster the pod runs in) and a kubeconfig line (a
// Secret's file) alike take the context of the block's name.
func kubeconfigAt(stanza, kubeconfig string) string {
	inCluster := regexp.MustCompile(`(?m)^(\s*)kubernetes (\S+)\s*$`)
	stanza = inCluster.ReplaceAllString(stanza, "${1}kubernetes ${2} {\n${1}    kubeconfig "+kubeconfig+" ${2}\n${1}}")
	secret := regexp.MustCompile(`(?m)^(\s*)kubeconfig /etc/gslb/clusters/kubeconfig (\S+)$`)
	return secret.ReplaceAllString(stanza, "${1}kubeconfig "+kubeconfig+" ${2}")
}

// kubernetesBlocks are the names of a stanza's kubernetes blocks.
func kubernetesBlocks(stanza string) []string {
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s*kubernetes (\S+)`).FindAllStringSubmatch(stanza, -1) {
		names = append(names, m[1])
	}
	return names
}

// closedKubeconfig is a kubeconfig whose every context (one per kubernetes
// block of m's stanza) is a closed loopback port: an API that never answers.
func closedKubeconfig(t *testing.T, m *manifests) string {
	t.Helper()
	contexts := map[string]*rest.Config{}
	for _, name := range kubernetesBlocks(m.configMap.Data["gslb.conf"]) {
		contexts[name] = &rest.Config{Host: "http://" + net.JoinHostPort("127.0.0.1", freePort(t))}
	}
	path := filepath.Join(t.TempDir(), "closed.kubeconfig")
	kubetest.WriteContexts(t, path, contexts)
	return path
}
