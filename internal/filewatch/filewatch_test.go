package filewatch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckLoadsOnlyChangedContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("one"), 0o644)
	var loads []string
	w := New(path, 0, func(b []byte) error {
		if string(b) == "bad" {
			return errors.New("bad content")
		}
		loads = append(loads, string(b))
		return nil
	}, nil)
	steps := []struct {
		write   string // "" leaves the file alone
		touch   bool   // a new modification time, same content
		changed bool
		err     bool
	}{
		{"", false, true, false},    // first read
		{"", false, false, false},   // unchanged
		{"", true, false, false},    // touched, same checksum
		{"two", false, true, false}, // new content
		{"bad", false, false, true}, // rejected: kept
		{"bad", true, false, false}, // touched, the same rejected content: returned already
		{"three", false, true, false},
	}
	for i, s := range steps {
		if s.write != "" {
			tmp := path + ".tmp"
			os.WriteFile(tmp, []byte(s.write), 0o644)
			os.Chtimes(tmp, time.Now(), time.Now().Add(time.Duration(i)*time.Second))
			os.Rename(tmp, path) // as a ConfigMap update swaps the file
		}
		if s.touch {
			os.Chtimes(path, time.Now(), time.Now().Add(time.Duration(i)*time.Hour))
		}
		changed, err := w.Check()
		if changed != s.changed || (err != nil) != s.err {
			t.Fatalf("step %d: changed %v err %v, want changed %v err %v", i, changed, err, s.changed, s.err)
		}
	}
	if want := []string{"one", "two", "three"}; len(loads) != 3 || loads[0] != want[0] || loads[1] != want[1] || loads[2] != want[2] {
		t.Fatalf("loaded %q, want %q", loads, want)
	}
}

func TestStartPollsUntilStop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("one"), 0o644)
	var content atomic.Value
	reports := make(chan bool, 10)
	w := New(path, 0, func(b []byte) error { content.Store(string(b)); return nil }, func(changed bool, err error) { reports <- changed })
	if _, err := w.Check(); err != nil {
		t.Fatal(err)
	}
	w.Start(5 * time.Millisecond)
	os.WriteFile(path, []byte("two"), 0o644)
	select {
	case changed := <-reports:
		if !changed || content.Load() != "two" {
			t.Fatalf("report changed=%v content %v", changed, content.Load())
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no reload within 2s")
	}
	w.Stop()
	os.WriteFile(path, []byte("three!"), 0o644)
	time.Sleep(30 * time.Millisecond) // several intervals: nothing may poll now
	if content.Load() != "two" {
		t.Fatalf("polled after Stop: %v", content.Load())
	}
}

// A replacement of the same length with the modification time kept (cp -p,
// rsync -t, tar -x) is a change: through a swapped link, or in place.
func TestCheckSeesReplacementOfSameSizeAndTime(t *testing.T) {
	dir := t.TempDir()
	mtime := time.Now().Add(-time.Hour).Truncate(time.Second)
	for _, v := range []string{"v1", "v2"} {
		os.Mkdir(filepath.Join(dir, v), 0o755)
		f := filepath.Join(dir, v, "f")
		os.WriteFile(f, []byte(v+"-one"), 0o644)
		os.Chtimes(f, mtime, mtime)
	}
	path := filepath.Join(dir, "f")
	swap := func(target string) { // as a ConfigMap update swaps its link
		tmp := path + ".tmp"
		if err := os.Symlink(target, tmp); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	var loaded string
	w := New(path, 0, func(b []byte) error { loaded = string(b); return nil }, nil)
	swap(filepath.Join("v1", "f"))
	if changed, err := w.Check(); !changed || err != nil {
		t.Fatalf("first read: changed %v err %v", changed, err)
	}
	swap(filepath.Join("v2", "f"))
	if changed, err := w.Check(); !changed || err != nil || loaded != "v2-one" {
		t.Fatalf("link swapped to a file of the same size and time: changed %v err %v, loaded %q", changed, err, loaded)
	}

	if !hasStatusTime {
		t.Skip("no status change time here to tell an in-place rewrite")
	}
	// The status change time moves in coarse ticks (a few ms): let one pass.
	time.Sleep(20 * time.Millisecond)
	target := filepath.Join(dir, "v2", "f")
	os.WriteFile(target, []byte("v2-two"), 0o644)
	os.Chtimes(target, mtime, mtime)
	if changed, err := w.Check(); !changed || err != nil || loaded != "v2-two" {
		t.Fatalf("rewritten in place, time set back: changed %v err %v, loaded %q", changed, err, loaded)
	}
	if changed, err := w.Check(); changed || err != nil {
		t.Fatalf("unchanged: changed %v err %v", changed, err)
	}
}

// A failure is returned once per change: polls that find the same missing
// file or the same rejected content return nothing and load nothing.
func TestCheckReturnsEachFailureOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	loads := 0
	w := New(path, 0, func(b []byte) error {
		loads++
		if strings.HasPrefix(string(b), "bad") {
			return errors.New("bad content")
		}
		return nil
	}, nil)
	n := 0
	write := func(content string) func() {
		return func() {
			n++
			tmp := path + ".tmp"
			os.WriteFile(tmp, []byte(content), 0o644)
			os.Chtimes(tmp, time.Now(), time.Now().Add(time.Duration(n)*time.Second))
			os.Rename(tmp, path)
		}
	}
	same := func() {}
	touch := func() { n++; os.Chtimes(path, time.Now(), time.Now().Add(time.Duration(n)*time.Hour)) }
	remove := func() { os.Remove(path) }
	steps := []struct {
		what    string
		do      func()
		changed bool
		err     bool
		loads   int
	}{
		{"missing", same, false, true, 0},
		{"still missing", same, false, false, 0},
		{"created", write("good"), true, false, 1},
		{"rejected", write("bad"), false, true, 2},
		{"the same file", same, false, false, 2},
		{"touched", touch, false, false, 2},
		{"a new file, the same content", write("bad"), false, false, 2},
		{"another rejected content", write("bad two"), false, true, 3},
		{"removed", remove, false, true, 3},
		{"still removed", same, false, false, 3},
		{"back, rejected", write("bad two"), false, true, 4},
		{"fixed", write("good two"), true, false, 5},
		{"rejected after a load", write("bad two"), false, true, 6},
	}
	for _, s := range steps {
		s.do()
		changed, err := w.Check()
		if changed != s.changed || (err != nil) != s.err || loads != s.loads {
			t.Fatalf("%s: changed %v err %v loads %d, want changed %v err %v loads %d", s.what, changed, err, loads, s.changed, s.err, s.loads)
		}
		if s.what == "removed" && !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("removed: %v, want a not-exist error", err)
		}
	}
}
