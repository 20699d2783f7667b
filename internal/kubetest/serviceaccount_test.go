package kubetest

import (
	"context"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// A ServiceAccount may do what its Role grants, there, and nothing else:
// RBAC is enforced, so a test of the manifests' role means something.
func TestServiceAccountRBAC(t *testing.T) {
	c := Start(t)
	ctx := context.Background()
	publishService(t, c.Client, "shop", "web", "192.0.2.10", true)
	publishService(t, c.Client, "other", "web", "192.0.2.11", true)
	a := c.ServiceAccount(t, "shop", "gslb")
	c.Grant(t, "shop", "gslb", rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"services"}, Verbs: []string{"get", "list", "watch"}})

	// Through the kubeconfig file, as the plugin will read it.
	cfg, err := clientcmd.BuildConfigFromFlags("", a.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CoreV1().Services("shop").List(ctx, metav1.ListOptions{}); err != nil {
		t.Errorf("listing the granted namespace's Services: %v", err)
	}
	if _, err := client.CoreV1().Services("other").List(ctx, metav1.ListOptions{}); !apierrors.IsForbidden(err) {
		t.Errorf("listing another namespace's Services: %v, want forbidden", err)
	}
	if _, err := client.DiscoveryV1().EndpointSlices("shop").List(ctx, metav1.ListOptions{}); !apierrors.IsForbidden(err) {
		t.Errorf("listing EndpointSlices, not granted: %v, want forbidden", err)
	}

	// A cluster-wide grant reaches every namespace.
	c.GrantClusterWide(t, "shop", "gslb", rbacv1.PolicyRule{APIGroups: []string{"discovery.k8s.io"}, Resources: []string{"endpointslices"}, Verbs: []string{"list"}})
	if _, err := a.Client.DiscoveryV1().EndpointSlices("other").List(ctx, metav1.ListOptions{}); err != nil {
		t.Errorf("listing EndpointSlices after a cluster-wide grant: %v", err)
	}
}
