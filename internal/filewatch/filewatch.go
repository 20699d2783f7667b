// Package filewatch polls a file and hands its content over when it
// changes: the way that works with Kubernetes ConfigMap and volume mounts,
// where a symbolic link is swapped and change events never fire.
package filewatch

import (
	"crypto/sha256"
	"os"
	"sync"
	"time"
)

// Watcher polls one file. Check and the polling goroutine never run at once.
type Watcher struct {
	path string
	load func(data []byte) error // takes a changed content; an error keeps the old one
	// report learns the outcome of each poll that read the file.
	report func(changed bool, err error)

	mu     sync.Mutex
	seen   identity // of the file last read
	sum    [sha256.Size]byte
	loaded bool

	stop, done chan struct{}
}

// New returns a watcher of path; nothing is read until Check or Start.
func New(path string, load func([]byte) error, report func(changed bool, err error)) *Watcher {
	return &Watcher{path: path, load: load, report: report}
}

// Check reads the file when its identity moved (or it was never loaded), and calls load when its SHA-256 differs from the loaded
// content's. A missing file is an error.
func (w *Watcher) Check() (changed bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fi, err := os.Stat(w.path) // follows the link a ConfigMap update swaps
	if err != nil {
		return false, err
	}
	if w.loaded && identityOf(fi) == w.seen {
		return false, nil
	}
	data, err := os.ReadFile(w.path)
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(data)
	if w.loaded && sum == w.sum {
		w.seen = identityOf(fi)
		return false, nil
	}
	if err := w.load(data); err != nil {
		return false, err // stat not recorded: a half-written file is read again
	}
	w.seen, w.sum, w.loaded = identityOf(fi), sum, true
	return true, nil
}

// Forget makes the next Check load the file whatever its checksum, for a
// caller that dropped what it had loaded (the file went away).
func (w *Watcher) Forget() {
	w.mu.Lock()
	w.loaded = false
	w.mu.Unlock()
}

// Start polls every interval until Stop.
func (w *Watcher) Start(interval time.Duration) {
	if w.stop != nil {
		return
	}
	w.stop, w.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(w.done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-tick.C:
				changed, err := w.Check()
				if (changed || err != nil) && w.report != nil {
					w.report(changed, err)
				}
			}
		}
	}()
}

// Stop ends Start's polling and waits for it.
func (w *Watcher) Stop() {
	if w.stop == nil {
		return
	}
	close(w.stop)
	<-w.done
	w.stop = nil
}
