package filewatch

import (
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckLoadsOnlyChangedContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("one"), 0o644)
	var loads []string
	w := New(path, func(b []byte) error {
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
		{"bad", true, false, true},  // still rejected on the next poll
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
	w := New(path, func(b []byte) error { content.Store(string(b)); return nil }, func(changed bool, err error) { reports <- changed })
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
