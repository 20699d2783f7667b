package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// buildCommand finds the go build command line of a file, with its output
// path left out.
func buildCommand(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(CGO_ENABLED=\S+ go build .*) -o \S+ (\./cmd/coredns-gslb)`)
	m := re.FindStringSubmatch(string(data))
	if m == nil {
		t.Fatalf("%s has no CGO_ENABLED=... go build ... -o OUT ./cmd/coredns-gslb line", path)
	}
	return m[1] + " " + m[2]
}

// TestDockerfileBuildsWhatCIBuilds: the image ships the binary CI builds.
func TestDockerfileBuildsWhatCIBuilds(t *testing.T) {
	image, ci := buildCommand(t, "../../Dockerfile"), buildCommand(t, "../../.ci/run")
	if image != ci {
		t.Fatalf("Dockerfile builds %q, .ci/run builds %q", image, ci)
	}
	if !strings.HasPrefix(image, "CGO_ENABLED=0 ") {
		t.Errorf("build %q is not static", image)
	}
	data, _ := os.ReadFile("../../Dockerfile")
	for _, want := range []string{"USER nonroot", "EXPOSE 53/udp 53/tcp 8080/tcp 8181/tcp 9153/tcp", "setcap cap_net_bind_service=+ep"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}
