package main

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// checkDeployment asserts what docs/design.md §8 and the add-on issue ask of the
// Deployment: replicas, spread, probes, resources and a locked-down pod.
func checkDeployment(t *testing.T, m *manifests) {
	t.Helper()
	d := m.deployment
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Errorf("replicas %v, want 2", d.Spec.Replicas)
	}
	pod := d.Spec.Template.Spec
	if pod.Affinity == nil || pod.Affinity.PodAntiAffinity == nil {
		t.Error("no pod anti-affinity: both replicas may land on one node")
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	probe := func(what string, p *corev1.Probe, path string, port int) {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != path || p.HTTPGet.Port.IntValue() != port {
			t.Errorf("%s probe %+v, want GET %s on %d", what, p, path, port)
		}
	}
	probe("liveness", c.LivenessProbe, "/health", 8080)
	probe("readiness", c.ReadinessProbe, "/ready", 8181)
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
		t.Errorf("resource requests %v, want cpu and memory", c.Resources.Requests)
	}
	sc, psc := c.SecurityContext, pod.SecurityContext
	switch {
	case psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot:
		t.Error("pod does not require a non-root user")
	case sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
		t.Error("root filesystem not read-only")
	case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
		t.Error("privilege escalation allowed")
	case sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL":
		t.Error("capabilities not dropped")
	}
	ports := map[string]bool{}
	for _, p := range c.Ports {
		ports[string(p.Protocol)+"/"+p.Name] = p.ContainerPort == 53 || p.ContainerPort == 9153
	}
	for _, want := range []string{"UDP/dns", "TCP/dns-tcp", "TCP/metrics"} {
		if !ports[want] {
			t.Errorf("container port %s missing (have %v)", want, ports)
		}
	}
}

// checkWiring asserts that the objects refer to each other: the Service
// and the budget select the pods, the pods mount the ConfigMap and run as
// the ServiceAccount.
func checkWiring(t *testing.T, m *manifests) {
	t.Helper()
	podLabels := labels.Set(m.deployment.Spec.Template.Labels)
	for _, s := range m.services {
		if len(s.Spec.Selector) == 0 || !labels.SelectorFromSet(s.Spec.Selector).Matches(podLabels) {
			t.Errorf("Service %s selects %v, not the pods %v", s.Name, s.Spec.Selector, podLabels)
		}
	}
	if sel := m.pdb.Spec.Selector; sel == nil || !labels.SelectorFromSet(sel.MatchLabels).Matches(podLabels) {
		t.Errorf("PodDisruptionBudget selects %v, not the pods", sel)
	}
	pod := m.deployment.Spec.Template.Spec
	if pod.ServiceAccountName != m.serviceAccount.Name {
		t.Errorf("pods run as %q, the ServiceAccount is %q", pod.ServiceAccountName, m.serviceAccount.Name)
	}
	mounted := false
	for _, v := range pod.Volumes {
		mounted = mounted || (v.ConfigMap != nil && v.ConfigMap.Name == m.configMap.Name)
	}
	if !mounted {
		t.Errorf("pods do not mount ConfigMap %q", m.configMap.Name)
	}
	for _, key := range []string{"Corefile", "gslb.conf"} {
		if m.configMap.Data[key] == "" {
			t.Errorf("ConfigMap has no %s", key)
		}
	}
	// Only the cluster DNS reads the API, and only to list and watch.
	for _, r := range m.roles {
		for _, rule := range r.Rules {
			for _, verb := range rule.Verbs {
				if verb != "list" && verb != "watch" {
					t.Errorf("ClusterRole %s grants %q on %v: want list and watch only", r.Name, verb, rule.Resources)
				}
			}
		}
	}
	if m.deployment.Namespace != m.configMap.Namespace || m.deployment.Namespace != m.serviceAccount.Namespace {
		t.Errorf("namespaces differ: Deployment %s, ConfigMap %s, ServiceAccount %s", m.deployment.Namespace, m.configMap.Namespace, m.serviceAccount.Namespace)
	}
}
