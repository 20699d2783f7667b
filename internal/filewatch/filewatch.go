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
	seen   identity // of the file last read, whatever came of it
	read   bool     // seen holds: the file has not gone since
	sum    [sha256.Size]byte
	loaded bool
	// The failure Check returned last, until a success: the same one is
	// not returned again, so a bad file is reported once, not every poll.
	failed  failure
	failing bool

	stop, done chan struct{}
}

// New returns a watcher of path; nothing is read until Check or Start.
func New(path string, load func([]byte) error, report func(changed bool, err error)) *Watcher {
	return &Watcher{path: path, load: load, report: report}
}

// failure tells one failed Check from the next: a file that cannot be
// stat'ed or read by its error, a rejected content by its checksum.
type failure struct {
	id  identity
	sum [sha256.Size]byte
	err string
}

// Check reads the file when its identity moved (or it was never read), and
// calls load when its SHA-256 differs from the loaded content's. A missing
// file is an error. A failure is returned once: until something changes,
// later calls return neither it nor a change.
func (w *Watcher) Check() (changed bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fi, err := os.Stat(w.path) // follows the link a ConfigMap update swaps
	if err != nil {
		w.read = false
		return false, w.fail(failure{err: err.Error()}, err)
	}
	id := identityOf(fi)
	if w.read && id == w.seen {
		return false, nil // nothing moved since the last read, whatever came of it
	}
	data, err := os.ReadFile(w.path)
	if err != nil {
		w.read = false // read again next time: the error may pass
		return false, w.fail(failure{id: id, err: err.Error()}, err)
	}
	// Recorded before the load: a half-written file is read again once
	// the writer moves its size or times.
	w.seen, w.read = id, true
	sum := sha256.Sum256(data)
	switch {
	case w.loaded && sum == w.sum:
		w.failing = false
		return false, nil
	case w.failing && sum == w.failed.sum:
		return false, nil // the content rejected last, under a new time or name
	}
	if err := w.load(data); err != nil {
		return false, w.fail(failure{sum: sum}, err)
	}
	w.sum, w.loaded, w.failing = sum, true, false
	return true, nil
}

// fail records f and returns err, or nil when f is the failure returned
// last.
func (w *Watcher) fail(f failure, err error) error {
	if w.failing && f == w.failed {
		return nil
	}
	w.failed, w.failing = f, true
	return err
}

// Forget makes the next Check load the file whatever its checksum, for a
// caller that dropped what it had loaded (the file went away).
func (w *Watcher) Forget() {
	w.mu.Lock()
	w.loaded, w.read = false, false
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
