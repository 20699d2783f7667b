package kube

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The binary is built once per test process, and only when a benchmark
// needs it: plain go test ./... runs none and builds nothing.
var (
	buildOnce sync.Once
	buildDir  string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// binary is coredns-gslb built from ./cmd/coredns-gslb.
func binary(b *testing.B) string {
	b.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "gslb-bench-kube-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "coredns-gslb")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/gslb/gslb/cmd/coredns-gslb").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/coredns-gslb: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		b.Fatal(buildErr)
	}
	return binPath
}
