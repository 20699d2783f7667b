package kubetest

import (
	"path/filepath"
	"strconv"
)

// flags are the API server's, for a server of its own on loopback over
// etcd at etcdURL, with its files in c.dir (written by startServer).
func (c *Cluster) flags(etcdURL string, port int) []string {
	return []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		// The server's own Service, kubernetes.default, would point at a
		// loopback address, which the lease reconciler refuses.
		"--advertise-address=127.0.0.1",
		"--endpoint-reconciler-type=none",
		"--tls-cert-file=" + c.CAFile,
		"--tls-private-key-file=" + filepath.Join(c.dir, "serving.key"),
		"--cert-dir=" + c.dir, // never /var/run/kubernetes
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + filepath.Join(c.dir, "service-account.key"),
		"--service-account-signing-key-file=" + filepath.Join(c.dir, "service-account.key"),
		// Dual-stack, so that IPv6 Services can be made; no address of
		// these ranges is ever used on this machine.
		"--service-cluster-ip-range=10.96.0.0/16,fd00:10:96::/112",
		// As a cluster's: ServiceAccounts may do what their roles grant.
		"--authorization-mode=Node,RBAC",
		"--token-auth-file=" + filepath.Join(c.dir, "tokens.csv"),
		"--profiling=false",
		// Open watches, as informers keep, would hold a graceful stop for as
		// long as they last: drained, they end within the second.
		"--shutdown-watch-termination-grace-period=1s",
	}
}
