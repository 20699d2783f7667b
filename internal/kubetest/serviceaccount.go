package kubetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Account is the credentials of a ServiceAccount, as a pod of it would
// have them: a bound token, and no more rights than its bindings grant.
type Account struct {
	Config     *rest.Config
	Client     kubernetes.Interface
	Kubeconfig string // a kubeconfig file of the token, for the plugin
}

// ServiceAccount creates ServiceAccount ns/name (and its namespace, unless
// there) and returns a token of it from the TokenRequest API, good for the
// test; what it may do is what Grant, GrantClusterWide or the manifests'
// RBAC give it.
func (c *Cluster) ServiceAccount(t testing.TB, ns, name string) *Account {
	t.Helper()
	ctx := context.Background()
	_, err := c.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if _, err := c.Client.CoreV1().ServiceAccounts(ns).Create(ctx, sa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return c.Token(t, ns, name)
}

// Token returns the credentials of ServiceAccount ns/name, which must be
// there already (made by a manifest, say): a bound token of it from the
// TokenRequest API, good for an hour, and a kubeconfig file of the token.
func (c *Cluster) Token(t testing.TB, ns, name string) *Account {
	t.Helper()
	ctx := context.Background()
	hour := int64(3600)
	tr, err := c.Client.CoreV1().ServiceAccounts(ns).CreateToken(ctx, name,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: &hour}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := &Account{Config: c.config(&rest.Config{BearerToken: tr.Status.Token})}
	if a.Client, err = kubernetes.NewForConfig(a.Config); err != nil {
		t.Fatal(err)
	}
	a.Kubeconfig = filepath.Join(c.dir, ns+"-"+name+".kubeconfig")
	writeKubeconfig(t, a.Kubeconfig, a.Config)
	return a
}

// Grant gives ServiceAccount ns/account the rules in its namespace, through
// a Role and RoleBinding of its name.
func (c *Cluster) Grant(t testing.TB, ns, account string, rules ...rbacv1.PolicyRule) {
	t.Helper()
	ctx := context.Background()
	meta := metav1.ObjectMeta{Name: account}
	if _, err := c.Client.RbacV1().Roles(ns).Create(ctx, &rbacv1.Role{ObjectMeta: meta, Rules: rules}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	binding := &rbacv1.RoleBinding{ObjectMeta: meta, Subjects: subjects(ns, account), RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: account}}
	if _, err := c.Client.RbacV1().RoleBindings(ns).Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.waitAllowed(t, ns, ns, account, rules)
}

// GrantClusterWide gives ServiceAccount ns/account the rules in every
// namespace, through a ClusterRole and ClusterRoleBinding named ns-account.
func (c *Cluster) GrantClusterWide(t testing.TB, ns, account string, rules ...rbacv1.PolicyRule) {
	t.Helper()
	ctx := context.Background()
	meta := metav1.ObjectMeta{Name: ns + "-" + account}
	if _, err := c.Client.RbacV1().ClusterRoles().Create(ctx, &rbacv1.ClusterRole{ObjectMeta: meta, Rules: rules}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	binding := &rbacv1.ClusterRoleBinding{ObjectMeta: meta, Subjects: subjects(ns, account), RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: meta.Name}}
	if _, err := c.Client.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.waitAllowed(t, "", ns, account, rules)
}

// WaitAllowed returns once the authorizer allows ServiceAccount ns/account
// the first verb of each rule in every namespace: for RBAC a test applies
// itself, from manifests, rather than through Grant or GrantClusterWide.
func (c *Cluster) WaitAllowed(t testing.TB, ns, account string, rules ...rbacv1.PolicyRule) {
	t.Helper()
	c.waitAllowed(t, "", ns, account, rules)
}

// waitAllowed returns once the authorizer allows the account the first
// verb of each rule in namespace where: RBAC reads bindings through an
// informer, so a grant takes effect a moment after it is written.
func (c *Cluster) waitAllowed(t testing.TB, where, ns, account string, rules []rbacv1.PolicyRule) {
	t.Helper()
	user := "system:serviceaccount:" + ns + ":" + account
	for _, r := range rules {
		if len(r.APIGroups) == 0 || len(r.Resources) == 0 || len(r.Verbs) == 0 {
			continue // a non-resource rule, or one that grants nothing
		}
		attrs := &authorizationv1.ResourceAttributes{Namespace: where, Group: r.APIGroups[0], Resource: r.Resources[0], Verb: r.Verbs[0]}
		review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: user, ResourceAttributes: attrs}}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			got, err := c.Client.AuthorizationV1().SubjectAccessReviews().Create(context.Background(), review, metav1.CreateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status.Allowed {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s is not allowed %+v within 30s of its grant: %s", user, attrs, got.Status.Reason)
			}
		}
	}
}

func subjects(ns, account string) []rbacv1.Subject {
	return []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: account}}
}
