package main

import (
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// checkDeployment asserts what docs/design.md §8 and the add-on issue ask of the
// Deployment: replicas, spread, probes, resources and a locked-down pod.
func checkDeployment(t *testing.T, m *manifests, replicas int32) {
	t.Helper()
	d := m.deployment
	if d.Spec.Replicas == nil || *d.Spec.Replicas != replicas {
		t.Errorf("replicas %v, want %d", d.Spec.Replicas, replicas)
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

// checkServices asserts that DNS and metrics have Services of their own:
// /metrics lists every member and probe target, so it is not put where
// every DNS client can reach it. The DNS Service exposes 53/udp and 53/tcp
// only; the metrics Service, a ClusterIP one, exposes the pods' metrics
// port only and carries the scrape annotations, which the pods then do
// not (annotation-based discovery would scrape each pod twice).
func checkServices(t *testing.T, m *manifests) {
	t.Helper()
	var dnsSvc, metricsSvc []*corev1.Service
	for _, s := range m.services {
		for _, p := range s.Spec.Ports {
			switch p.Port {
			case 53:
				dnsSvc = append(dnsSvc, s)
			case 9153:
				metricsSvc = append(metricsSvc, s)
			}
		}
	}
	if len(m.services) != 2 || len(dnsSvc) != 2 || len(metricsSvc) != 1 || dnsSvc[0] != dnsSvc[1] || dnsSvc[0] == metricsSvc[0] {
		t.Fatalf("Services %v, want one for DNS (53/udp, 53/tcp) and another for metrics (9153)", serviceNames(m.services))
	}
	dns, metrics := dnsSvc[0], metricsSvc[0]

	ports := map[string]bool{}
	for _, p := range dns.Spec.Ports {
		ports[fmt.Sprintf("%s/%d->%s", p.Protocol, p.Port, p.TargetPort.String())] = true
	}
	if len(ports) != 2 || !ports["UDP/53->53"] || !ports["TCP/53->53"] {
		t.Errorf("Service %s ports %v, want 53/UDP and 53/TCP only", dns.Name, ports)
	}

	metricsPort := containerPort(t, m, "metrics")
	if len(metrics.Spec.Ports) != 1 {
		t.Fatalf("Service %s has %d ports, want the metrics port only", metrics.Name, len(metrics.Spec.Ports))
	}
	p := metrics.Spec.Ports[0]
	if p.Name != "metrics" || p.Port != 9153 || p.Protocol != corev1.ProtocolTCP ||
		(p.TargetPort.String() != "metrics" && p.TargetPort.IntValue() != int(metricsPort)) {
		t.Errorf("Service %s port %+v, want metrics 9153/TCP to the pods' metrics port %d", metrics.Name, p, metricsPort)
	}
	if typ := metrics.Spec.Type; typ != "" && typ != corev1.ServiceTypeClusterIP {
		t.Errorf("Service %s is of type %s, want ClusterIP: metrics stay inside the cluster", metrics.Name, typ)
	}
	if metrics.Namespace != m.deployment.Namespace || dns.Namespace != m.deployment.Namespace {
		t.Errorf("Services in %s and %s, the pods in %s", dns.Namespace, metrics.Namespace, m.deployment.Namespace)
	}
	podLabels := labels.Set(m.deployment.Spec.Template.Labels)
	if !labels.SelectorFromSet(metrics.Spec.Selector).Matches(podLabels) {
		t.Errorf("Service %s selects %v, not the pods %v", metrics.Name, metrics.Spec.Selector, podLabels)
	}
	// A ServiceMonitor, or whatever finds the DNS Service by its labels,
	// must be able to tell the two apart.
	if labels.SelectorFromSet(dns.Labels).Matches(labels.Set(metrics.Labels)) {
		t.Errorf("Service %s labels %v also match Service %s: a selector cannot pick the metrics one", dns.Name, dns.Labels, metrics.Name)
	}

	want := map[string]string{"prometheus.io/scrape": "true", "prometheus.io/port": "9153"}
	for k, v := range want {
		if got := metrics.Annotations[k]; got != v {
			t.Errorf("Service %s annotation %s = %q, want %q", metrics.Name, k, got, v)
		}
		if _, ok := dns.Annotations[k]; ok {
			t.Errorf("Service %s carries %s: only the metrics Service is scraped", dns.Name, k)
		}
		if _, ok := m.deployment.Spec.Template.Annotations[k]; ok {
			t.Errorf("pods carry %s: the metrics Service's annotations find them, so they would be scraped twice", k)
		}
	}
}

// containerPort is the pods' container port named name.
func containerPort(t *testing.T, m *manifests, name string) int32 {
	t.Helper()
	for _, p := range m.deployment.Spec.Template.Spec.Containers[0].Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	t.Fatalf("pods have no port named %s", name)
	return 0
}

func serviceNames(services []*corev1.Service) []string {
	var names []string
	for _, s := range services {
		names = append(names, s.Namespace+"/"+s.Name)
	}
	return names
}
