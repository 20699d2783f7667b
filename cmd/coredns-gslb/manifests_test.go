package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"
)

const deployDir = "../../deploy/kubernetes"

// variants are the two ways to run gslb in a cluster (README, Kubernetes).
var variants = []string{"cluster-dns", "gslb-dns"}

// manifests holds one variant's objects, each decoded strictly into its
// k8s.io/api type: an unknown or misspelt field fails the test.
type manifests struct {
	deployment     *appsv1.Deployment
	configMap      *corev1.ConfigMap
	services       []*corev1.Service
	pdb            *policyv1.PodDisruptionBudget
	serviceAccount *corev1.ServiceAccount
	roles          []*rbacv1.ClusterRole
	bindings       []*rbacv1.ClusterRoleBinding
	// A member cluster's (gslb-dns/member-cluster): what gslb reads it as.
	namespaces   []*corev1.Namespace
	secrets      []*corev1.Secret
	namespaced   []*rbacv1.Role
	roleBindings []*rbacv1.RoleBinding
}

func loadManifests(t *testing.T, variant string) *manifests {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(deployDir, variant, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s/%s: %v", deployDir, variant, err)
	}
	m := &manifests{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range bytes.Split(data, []byte("\n---\n")) {
			if err := m.decode(doc); err != nil {
				t.Fatalf("%s document %d: %v", file, i+1, err)
			}
		}
	}
	return m
}

func (m *manifests) decode(doc []byte) error {
	var meta struct {
		Kind string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &meta); err != nil {
		return err
	}
	strict := func(v any) error { return yaml.UnmarshalStrict(doc, v) }
	switch meta.Kind {
	case "Deployment":
		m.deployment = &appsv1.Deployment{}
		return strict(m.deployment)
	case "ConfigMap":
		m.configMap = &corev1.ConfigMap{}
		return strict(m.configMap)
	case "Service":
		s := &corev1.Service{}
		m.services = append(m.services, s)
		return strict(s)
	case "PodDisruptionBudget":
		m.pdb = &policyv1.PodDisruptionBudget{}
		return strict(m.pdb)
	case "ServiceAccount":
		m.serviceAccount = &corev1.ServiceAccount{}
		return strict(m.serviceAccount)
	case "ClusterRole":
		r := &rbacv1.ClusterRole{}
		m.roles = append(m.roles, r)
		return strict(r)
	case "ClusterRoleBinding":
		b := &rbacv1.ClusterRoleBinding{}
		m.bindings = append(m.bindings, b)
		return strict(b)
	case "Namespace":
		n := &corev1.Namespace{}
		m.namespaces = append(m.namespaces, n)
		return strict(n)
	case "Secret":
		s := &corev1.Secret{}
		m.secrets = append(m.secrets, s)
		return strict(s)
	case "Role":
		r := &rbacv1.Role{}
		m.namespaced = append(m.namespaced, r)
		return strict(r)
	case "RoleBinding":
		b := &rbacv1.RoleBinding{}
		m.roleBindings = append(m.roleBindings, b)
		return strict(b)
	}
	return &unknownKind{meta.Kind}
}

type unknownKind struct{ kind string }

func (u *unknownKind) Error() string { return "unexpected kind " + strings.TrimSpace(u.kind) }

func TestManifestsDecodeStrictly(t *testing.T) {
	for _, variant := range variants {
		t.Run(variant, func(t *testing.T) {
			m := loadManifests(t, variant)
			if m.deployment == nil || m.configMap == nil || len(m.services) == 0 || m.pdb == nil || m.serviceAccount == nil {
				t.Fatalf("want a Deployment, ConfigMap, Service, PodDisruptionBudget and ServiceAccount, got %+v", m)
			}
			checkDeployment(t, m, 2)
			checkInitContainer(t, m)
			checkWiring(t, m)
			checkServices(t, m)
		})
	}
}
