package kubetest

import (
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
)

// WaitAllowedIn is WaitAllowed in namespace where: for a Role a test
// applies from manifests, which grants nothing beyond its namespace.
func (c *Cluster) WaitAllowedIn(t testing.TB, where, ns, account string, rules ...rbacv1.PolicyRule) {
	t.Helper()
	c.waitAllowed(t, where, ns, account, rules)
}
