//go:build unix

package filewatch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// What is there but cannot be read is an error that keeps the loaded
// content, never fs.ErrNotExist (which callers take for a deletion), and
// is returned once; only a path that is gone altogether is missing.
func TestCheckRefusesWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	os.WriteFile(good, []byte("one"), 0o644)
	os.Mkdir(filepath.Join(dir, "dir"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "big"), make([]byte, 1025), 0o644)
	path := filepath.Join(dir, "f")
	point := func(target string) { // as a ConfigMap update swaps its link
		tmp := path + ".tmp"
		if err := os.Symlink(target, tmp); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	var loaded []string
	w := New(path, 1024, func(b []byte) error { loaded = append(loaded, string(b)); return nil }, nil)
	// check fails the test rather than hang when Check blocks (opening a
	// pipe waits for a writer).
	check := func(what string) (bool, error) {
		t.Helper()
		type result struct {
			changed bool
			err     error
		}
		done := make(chan result, 1)
		go func() { c, err := w.Check(); done <- result{c, err} }()
		select {
		case r := <-done:
			return r.changed, r.err
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: Check blocked", what)
			return false, nil
		}
	}
	point("good")
	if changed, err := check("good"); !changed || err != nil {
		t.Fatalf("good: changed %v err %v", changed, err)
	}
	for _, tc := range []struct{ target, want string }{
		{"missing", "dangling symbolic link"},
		{"dir", "directory"},
		{"fifo", "named pipe"},
		{"big", "1025 bytes, over the 1024-byte limit"},
	} {
		point(tc.target)
		changed, err := check(tc.target)
		if changed || err == nil || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: changed %v err %v, want an error naming %s and %q, not a missing file", tc.target, changed, err, path, tc.want)
		}
		if changed, err := check(tc.target + " again"); changed || err != nil {
			t.Errorf("%s again: changed %v err %v, want it returned once", tc.target, changed, err)
		}
	}
	if len(loaded) != 1 {
		t.Fatalf("loaded %q, want only the good file", loaded)
	}
	os.Remove(path)
	if _, err := check("removed"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("removed: %v, want a missing file", err)
	}
}
