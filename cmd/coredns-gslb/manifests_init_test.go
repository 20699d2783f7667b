package main

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
)

// checkInitContainer asserts that the pods check their Corefile before the
// server starts: one init container, the server's image run with -check
// and the server's own -conf, mounting what the server mounts where it
// does, with its environment (the stanza's {$VAR}s) and security context
// (the binary's file capability needs the same bounding set to exec).
func checkInitContainer(t *testing.T, m *manifests) {
	t.Helper()
	pod := m.deployment.Spec.Template.Spec
	if len(pod.InitContainers) != 1 {
		t.Fatalf("%d init containers, want 1 running -check", len(pod.InitContainers))
	}
	check, server := pod.InitContainers[0], pod.Containers[0]
	if check.Image != server.Image || !slices.Equal(check.Command, server.Command) {
		t.Errorf("init container runs %s %q, the server %s %q: want the same binary", check.Image, check.Command, server.Image, server.Command)
	}
	if conf := confArg(server.Args); conf == "" || confArg(check.Args) != conf || !slices.Equal(check.Args, append([]string{"-check"}, server.Args...)) {
		t.Errorf("init container args %q, want -check before the server's %q: the same Corefile", check.Args, server.Args)
	}
	same := func(what string, a, b any) {
		if !equality.Semantic.DeepEqual(a, b) {
			t.Errorf("init container %s %+v, the server's %+v", what, a, b)
		}
	}
	same("volume mounts", check.VolumeMounts, server.VolumeMounts)
	same("environment", check.Env, server.Env)
	same("security context", check.SecurityContext, server.SecurityContext)
	if check.Resources.Requests.Memory().IsZero() || check.Resources.Limits.Memory().IsZero() {
		t.Errorf("init container resources %+v, want a memory request and limit", check.Resources)
	}
}

// confArg is the value of -conf in args, "" without one.
func confArg(args []string) string {
	if i := slices.Index(args, "-conf"); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

// TestManifestsInitContainerChecks runs each variant's init container, as
// its pod would, on the ConfigMap moved to loopback: the shipped Corefile
// passes its own check.
func TestManifestsInitContainerChecks(t *testing.T) {
	for _, variant := range append(slices.Clone(variants), fleetVariant) {
		t.Run(variant, func(t *testing.T) {
			m := loadManifests(t, variant)
			checkInitContainer(t, m)
			closed := net.JoinHostPort("127.0.0.1", freePort(t))
			if variant == fleetVariant {
				setFleetEnv(t, m, "http://"+closed)
			}
			dir := t.TempDir()
			stanza := kubeconfigAt(probeLoopback(m.configMap.Data["gslb.conf"], closed), closedKubeconfig(t, m))
			files := map[string]string{"gslb.conf": stanza, "Corefile": onLoopback(t, m.configMap.Data["Corefile"], dir)}
			for name, content := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := slices.Clone(m.deployment.Spec.Template.Spec.InitContainers[0].Args)
			args[slices.Index(args, "-conf")+1] = filepath.Join(dir, "Corefile")
			r := runCheckerIn(t, dir, args...)
			if r.code != checkOK || r.stdout != filepath.Join(dir, "Corefile")+": ok\n" {
				t.Fatalf("%q: exit %d, stdout %q, stderr %q; want ok\n%s", args, r.code, r.stdout, r.stderr, files["Corefile"])
			}
		})
	}
}
