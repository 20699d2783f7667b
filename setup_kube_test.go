package gslb

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/coredns/caddy"
)

// kubeconfigOf is a kubeconfig with one context, ctx, of a loopback server
// nothing listens on: setup reads it and asks nothing.
const kubeconfigOf = `apiVersion: v1
kind: Config
clusters:
- name: eu
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: eu
  user: {token: t}
contexts:
- name: eu
  context: {cluster: eu, user: eu}
current-context: eu
`

// A cluster setup cannot read fails the start (or the reload) at the line
// that names it: a kubeconfig without the context, or, without a
// kubernetes block, the in-cluster configuration outside a pod.
func TestSetupChecksClusters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, []byte(kubeconfigOf), 0o600); err != nil {
		t.Fatal(err)
	}
	pool := "\npool eu {\n    service shop/web\n}\nrecord app {\n    pools eu\n}"
	if err := setup(caddy.NewTestController("dns", stanza("\nkubernetes eu {\n    kubeconfig "+path+" eu\n}"+pool))); err != nil {
		t.Fatalf("setup with the kubeconfig's context: %v", err)
	}
	err := setup(caddy.NewTestController("dns", stanza("\nkubernetes eu {\n    kubeconfig "+path+" us\n}"+pool)))
	checkErr(t, err, 2, "kubeconfig "+path, `context "us"`)

	t.Setenv("KUBERNETES_SERVICE_HOST", "") // not in a pod, whatever runs the test
	err = setup(caddy.NewTestController("dns", stanza(pool)))
	checkErr(t, err, 3, "cluster default: in-cluster configuration")
}
