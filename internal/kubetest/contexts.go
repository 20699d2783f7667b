package kubetest

import (
	"testing"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// WriteContexts writes one kubeconfig file of several contexts, each named
// as its key, with its server, CA file and bearer token: what an operator
// hands a GSLB that reads several clusters. A config without a CA file is
// trusted without one (a closed port's, say).
func WriteContexts(t testing.TB, path string, contexts map[string]*rest.Config) {
	t.Helper()
	kc := clientcmdapi.NewConfig()
	for name, cfg := range contexts {
		kc.Clusters[name] = &clientcmdapi.Cluster{Server: cfg.Host, CertificateAuthority: cfg.TLSClientConfig.CAFile, InsecureSkipTLSVerify: cfg.TLSClientConfig.CAFile == "" && cfg.TLSClientConfig.Insecure}
		kc.AuthInfos[name] = &clientcmdapi.AuthInfo{Token: cfg.BearerToken}
		kc.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name, Namespace: "default"}
	}
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		t.Fatal(err)
	}
}
