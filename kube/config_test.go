package kube

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// A kubeconfig that is not there, is no kubeconfig, or lacks the context
// fails the Acquire, with the file (and the context) named, and nothing
// started.
func TestAcquireBadKubeconfig(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.kubeconfig")
	if err := os.WriteFile(garbage, []byte("clusters: [what"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.kubeconfig")
	kc := clientcmdapi.NewConfig()
	kc.Clusters["eu"] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:1"}
	kc.AuthInfos["eu"] = &clientcmdapi.AuthInfo{Token: "t"}
	kc.Contexts["eu"] = &clientcmdapi.Context{Cluster: "eu", AuthInfo: "eu"}
	kc.CurrentContext = "eu"
	if err := clientcmd.WriteToFile(*kc, good); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cluster Cluster
		want    []string
	}{
		{Cluster{Name: "missing", Kubeconfig: filepath.Join(dir, "missing.kubeconfig")}, []string{"missing.kubeconfig"}},
		{Cluster{Name: "garbage", Kubeconfig: garbage}, []string{garbage}},
		{Cluster{Name: "context", Kubeconfig: good, Context: "us"}, []string{good, `"us"`}},
	} {
		r := newTestRegistry(0)
		l, err := r.Acquire([]Source{{Cluster: tc.cluster, Kind: Service, Namespace: "prod", Name: "web"}}, nil)
		if err == nil {
			l.Release()
			t.Errorf("%s: no error", tc.cluster.Name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v, want %s named", tc.cluster.Name, err, w)
			}
		}
		if r.watches.Len() != 0 || r.clusters.Len() != 0 {
			t.Errorf("%s: %d watches and %d clusters after a failed Acquire", tc.cluster.Name, r.watches.Len(), r.clusters.Len())
		}
	}
}

// A source of no kind or a selector that does not parse fails the Acquire.
func TestAcquireBadSource(t *testing.T) {
	r := newTestRegistry(0)
	c := Cluster{Name: "bad", Endpoint: "https://127.0.0.1:1"}
	for _, s := range []Source{{Cluster: c, Namespace: "prod", Name: "web"}, {Cluster: c, Kind: Service, Selector: "app in (web"}} {
		if l, err := r.Acquire([]Source{s}, nil); err == nil {
			l.Release()
			t.Errorf("%+v: no error", s)
		}
	}
}
