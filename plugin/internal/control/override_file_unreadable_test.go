//go:build unix

package control

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/poll"
)

// unreadable makes, in dir, each kind of override file that is there but
// cannot be read, and returns their names with what the error says.
func unreadable(t *testing.T, dir string) [][2]string {
	t.Helper()
	os.Mkdir(filepath.Join(dir, "dir"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("# a comment line of the override file\n", maxOverrideSize/38+1)
	os.WriteFile(filepath.Join(dir, "big"), []byte(big), 0o644)
	return [][2]string{
		{"missing", "dangling symbolic link"},
		{"dir", "directory"},
		{"big", "over the 1048576-byte limit"},
		{"fifo", "named pipe"},
	}
}

// point swaps the link at path to target, the way a ConfigMap update does.
func point(t *testing.T, path, target string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.Symlink(target, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// An override file that is there but cannot be read fails the start: no
// overrides are in force yet to keep. No file yet means no overrides.
func TestCheckOverridesFailsOnUnreadableFile(t *testing.T) {
	c, path := watched(t, "")
	if err := c.CheckOverrides(); err != nil {
		t.Fatalf("no file yet: %v, want no error", err)
	}
	start(t, c)
	replace(t, path, "drain eu\n")
	poll.Until(t, "a file created after the start is read", 10*time.Second, c.euDrained)

	dir := t.TempDir()
	for _, tc := range unreadable(t, dir) {
		target, want := tc[0], tc[1]
		c, path := watched(t, "")
		point(t, path, filepath.Join(dir, target))
		done := make(chan error, 1)
		go func() { done <- c.CheckOverrides() }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want an error naming %s and %q", target, err, path, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: CheckOverrides blocked", target)
		}
	}

	// A bad line at start fails it too: no overrides are in force to keep.
	c, path = watched(t, "evacuate us\n")
	if err := c.CheckOverrides(); err == nil || !strings.Contains(err.Error(), path+":1: ") {
		t.Fatalf("a bad line: %v, want an error naming %s:1", err, path)
	}
}

// At run time a file that is there but cannot be read keeps the overrides
// in force, counted once as an error; only its deletion lifts them.
func TestOverridesKeptWhileFileUnreadable(t *testing.T) {
	c, path := watched(t, "")
	dir := filepath.Dir(path)
	os.WriteFile(filepath.Join(dir, "drain-eu"), []byte("drain eu\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "drain-us"), []byte("drain us\n"), 0o644)
	point(t, path, "drain-eu")
	if err := c.CheckOverrides(); err != nil {
		t.Fatal(err)
	}
	start(t, c)
	if !c.euDrained() {
		t.Fatal("drain eu not in force after the start")
	}
	for _, tc := range unreadable(t, dir) {
		target := tc[0]
		before := c.overrideErrors()
		point(t, path, target)
		settle(t, c, target, before, 1)
		if !c.euDrained() {
			t.Fatalf("%s: drain eu lifted", target)
		}
	}
	point(t, path, "drain-us")
	poll.Until(t, "a readable file again is read", 10*time.Second, func() bool {
		return !c.euDrained() && c.Load().Health.At(1, 0).Drained
	})
	os.Remove(path)
	poll.Until(t, "deleting the file lifts the overrides", 10*time.Second, func() bool { return c.Load().Overrides == nil })
}
