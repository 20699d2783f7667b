package main

import (
	"context"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coredns/caddy/caddyfile"
	"github.com/miekg/dns"
	clientv3 "go.etcd.io/etcd/client/v3"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/diff"

	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/internal/etcdtest"
)

// fleetVariant is gslb-dns with a store block: its replicas reach one
// verdict through etcd, each pod an observer named by its pod name.
const fleetVariant = "gslb-dns-fleet"

// fleetPodName is what the Downward API would give POD_NAME.
const fleetPodName = "gslb-dns-6d9c8b7f5-x2k7q"

func loadFleet(t *testing.T) *manifests {
	t.Helper()
	m := loadManifests(t, fleetVariant)
	if m.deployment == nil || m.configMap == nil || len(m.services) == 0 || m.pdb == nil || m.serviceAccount == nil {
		t.Fatalf("want a Deployment, ConfigMap, Service, PodDisruptionBudget and ServiceAccount, got %+v", m)
	}
	if n := len(m.deployment.Spec.Template.Spec.Containers); n != 1 {
		t.Fatalf("%d containers, want 1", n)
	}
	return m
}

func TestManifestsFleetDecodeStrictly(t *testing.T) {
	m := loadFleet(t)
	checkDeployment(t, m, 3)
	checkInitContainer(t, m)
	checkWiring(t, m)
	checkServices(t, m)

	pod := m.deployment.Spec.Template.Spec
	env := map[string]corev1.EnvVar{}
	for _, e := range pod.Containers[0].Env {
		env[e.Name] = e
	}
	if e := env["POD_NAME"]; e.Value != "" || e.ValueFrom == nil || e.ValueFrom.FieldRef == nil || e.ValueFrom.FieldRef.FieldPath != "metadata.name" {
		t.Errorf("POD_NAME %+v, want it from the Downward API, fieldRef metadata.name", e)
	}
	if u, err := url.Parse(env["GSLB_ETCD_ENDPOINT"].Value); err != nil || u.Scheme != "http" || u.Port() == "" {
		t.Errorf("GSLB_ETCD_ENDPOINT %+v, want an etcd client URL such as http://etcd.gslb.svc:2379", env["GSLB_ETCD_ENDPOINT"])
	}

	// The stanza as written, before substitution: the observer is the pod
	// name, the endpoint the Deployment's, and every variable it names is
	// one the Deployment sets (commented-out lines aside).
	endpoints, observer, vars := manifestStoreBlock(t, m.configMap.Data["gslb.conf"])
	if observer != "{$POD_NAME}" {
		t.Errorf("store observer %q, want {$POD_NAME}", observer)
	}
	if !slices.Equal(endpoints, []string{"{$GSLB_ETCD_ENDPOINT}"}) {
		t.Errorf("store etcd %v, want {$GSLB_ETCD_ENDPOINT}", endpoints)
	}
	for _, v := range vars {
		if _, ok := env[v]; !ok {
			t.Errorf("gslb.conf names {$%s}, which the Deployment does not set", v)
		}
	}

	// Observers in different places: spread across zones, and a budget
	// that keeps a majority of them through voluntary disruptions.
	podLabels := labels.Set(m.deployment.Spec.Template.Labels)
	spread := false
	for _, c := range pod.TopologySpreadConstraints {
		spread = spread || (c.TopologyKey == "topology.kubernetes.io/zone" && c.LabelSelector != nil &&
			labels.SelectorFromSet(c.LabelSelector.MatchLabels).Matches(podLabels))
	}
	if !spread {
		t.Errorf("topologySpreadConstraints %+v, want the pods spread by topology.kubernetes.io/zone", pod.TopologySpreadConstraints)
	}
	if minAvail := m.pdb.Spec.MinAvailable; minAvail == nil || minAvail.IntValue()*2 <= int(*m.deployment.Spec.Replicas) {
		t.Errorf("PodDisruptionBudget minAvailable %v, want a majority of the %d replicas", minAvail, *m.deployment.Spec.Replicas)
	}
}

// TestManifestsFleetDiffersOnlyByTheStore keeps the variant a copy of
// gslb-dns: what is not the fleet's change must follow gslb-dns.
func TestManifestsFleetDiffersOnlyByTheStore(t *testing.T) {
	base, m := loadManifests(t, "gslb-dns"), loadFleet(t)
	same := func(what string, want, got any) {
		t.Helper()
		if !equality.Semantic.DeepEqual(want, got) {
			t.Errorf("%s differs from gslb-dns's beyond the fleet's changes:\n%s", what, diff.Diff(want, got))
		}
	}
	same("Services", base.services, m.services)
	same("ServiceAccount", base.serviceAccount, m.serviceAccount)

	pdb := m.pdb.DeepCopy()
	pdb.Spec.MinAvailable = base.pdb.Spec.MinAvailable
	same("PodDisruptionBudget", base.pdb, pdb)

	d := m.deployment.DeepCopy()
	d.Spec.Replicas = base.deployment.Spec.Replicas
	d.Spec.Template.Spec.TopologySpreadConstraints = nil
	d.Spec.Template.Spec.Containers[0].Env = nil
	d.Spec.Template.Spec.InitContainers[0].Env = nil // the check's is the server's
	same("Deployment", base.deployment, d)

	cm := m.configMap.DeepCopy()
	cm.Data["gslb.conf"] = withoutStore(t, cm.Data["gslb.conf"])
	same("ConfigMap", base.configMap, cm)
}

// TestManifestsFleetCorefileParses reads the ConfigMap's Corefile as CoreDNS
// would in the pod, {$VAR} substitution in the imported stanza included,
// with the Deployment's environment, and parses its gslb stanza.
func TestManifestsFleetCorefileParses(t *testing.T) {
	m := loadFleet(t)
	endpoint := setFleetEnv(t, m, "")
	stanzas := parseStanzas(t, m)
	for _, cfg := range stanzas {
		st := cfg.Store
		if st == nil {
			t.Fatalf("stanza of %v: no store", cfg.Zones)
		}
		if st.Observer != fleetPodName {
			t.Errorf("observer %q, want the pod name %q", st.Observer, fleetPodName)
		}
		if !slices.Equal(st.Endpoints, []string{endpoint}) {
			t.Errorf("endpoints %v, want [%s]", st.Endpoints, endpoint)
		}
		if st.Quorum != (fleet.Quorum{Rule: fleet.Majority}) || st.Prefix != fleet.DefaultPrefix || st.TLS.Enabled() || st.Username != "" {
			t.Errorf("store %+v, want a majority quorum under %s, without TLS or credentials", st, fleet.DefaultPrefix)
		}
	}
	if len(stanzas) != 1 {
		t.Fatalf("%d gslb stanzas, want 1", len(stanzas))
	}
}

// TestManifestsFleetServes starts the ConfigMap as the pod would, moved to
// loopback and pointed at an etcd of its own: it answers, and joins the
// store as the observer its pod name says.
func TestManifestsFleetServes(t *testing.T) {
	m := loadFleet(t)
	store := etcdtest.Start(t)
	setFleetEnv(t, m, store.Endpoint())
	s := serveConfigMap(t, m)
	for _, netw := range []string{"udp", "tcp"} {
		r := s.query(t, netw, "app.gslb.example.com.", dns.TypeA, true)
		if r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 {
			t.Fatalf("%s: app.gslb.example.com A: %v", netw, r)
		}
	}

	cli := store.Client(t)
	key := fleet.DefaultPrefix + "observers/" + fleetPodName
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		resp, err := cli.Get(ctx, key, clientv3.WithCountOnly())
		cancel()
		if err == nil && resp.Count == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s in the store after 10s (%v)\ncoredns-gslb output:\n%s", key, err, s.out)
		}
	}
}

// setFleetEnv sets what the Deployment gives the container: POD_NAME from
// the Downward API as fleetPodName, the rest as written, but the etcd endpoint
// when endpoint is not empty. It returns the endpoint set.
func setFleetEnv(t *testing.T, m *manifests, endpoint string) string {
	t.Helper()
	for _, e := range m.deployment.Spec.Template.Spec.Containers[0].Env {
		switch {
		case e.ValueFrom != nil && e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.name":
			t.Setenv(e.Name, fleetPodName)
		case e.ValueFrom != nil:
			t.Fatalf("env %s from %+v: the test knows only fieldRef metadata.name", e.Name, e.ValueFrom)
		case e.Name == "GSLB_ETCD_ENDPOINT" && endpoint != "":
			t.Setenv(e.Name, endpoint)
		default:
			t.Setenv(e.Name, e.Value)
		}
	}
	return os.Getenv("GSLB_ETCD_ENDPOINT")
}

// manifestStoreBlock reads the stanza's tokens as written (comments dropped, no
// substitution): the store block's endpoints and observer, and the
// environment variables named anywhere in the stanza.
func manifestStoreBlock(t *testing.T, stanza string) (endpoints []string, observer string, vars []string) {
	t.Helper()
	var tokens []string
	d := caddyfile.NewDispenser("gslb.conf", strings.NewReader(stanza))
	for d.Next() {
		tokens = append(tokens, d.Val())
	}
	envRef := regexp.MustCompile(`\{\$(\w+)\}`)
	for _, tok := range tokens {
		for _, sub := range envRef.FindAllStringSubmatch(tok, -1) {
			vars = append(vars, sub[1])
		}
	}
	i := slices.Index(tokens, "store")
	if i < 0 || i+1 >= len(tokens) || tokens[i+1] != "etcd" {
		t.Fatalf("gslb.conf has no store etcd block: %q", tokens)
	}
	i += 2
	for ; i < len(tokens) && tokens[i] != "{"; i++ {
		endpoints = append(endpoints, tokens[i])
	}
	for nesting := 0; i < len(tokens); i++ {
		switch tokens[i] {
		case "{":
			nesting++
		case "}":
			nesting--
		case "observer":
			if nesting == 1 && i+1 < len(tokens) {
				observer = tokens[i+1]
			}
		}
		if nesting == 0 {
			break
		}
	}
	return endpoints, observer, vars
}

// withoutStore is the stanza without its store block and the comment lines
// just above it: what gslb-dns's stanza is.
func withoutStore(t *testing.T, stanza string) string {
	t.Helper()
	lines := strings.SplitAfter(stanza, "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "store ") })
	if start < 0 {
		t.Fatal("gslb.conf has no store block")
	}
	indent := lines[start][:len(lines[start])-len(strings.TrimLeft(lines[start], " "))]
	end := start
	for end < len(lines) && lines[end] != indent+"}\n" {
		end++
	}
	if end == len(lines) {
		t.Fatal("gslb.conf: the store block does not close")
	}
	for start > 0 && strings.HasPrefix(strings.TrimSpace(lines[start-1]), "#") {
		start--
	}
	return strings.Join(slices.Delete(lines, start, end+1), "")
}
