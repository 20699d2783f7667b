// Package filewatch polls a file and hands its content over when it
// changes: the way that works with Kubernetes ConfigMap and volume mounts,
// where a symbolic link is swapped and change events never fire.
package filewatch

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"
)

// Watcher polls one file. Check and the polling goroutine never run at once.
type Watcher struct {
	path    string
	maxSize int64                   // bigger is an error, before it is read; 0 for no bound
	load    func(data []byte) error // takes a changed content; an error keeps the old one
	// report learns of each poll that found a change or a new failure.
	report func(changed bool, err error)

	mu     sync.Mutex
	seen   Identity // of the file last read, whatever came of it
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
func New(path string, maxSize int64, load func([]byte) error, report func(changed bool, err error)) *Watcher {
	return &Watcher{path: path, maxSize: maxSize, load: load, report: report}
}

// failure tells one failed Check from the next: a file that cannot be
// stat'ed or read by its error, a rejected content by its checksum.
type failure struct {
	id  Identity
	sum [sha256.Size]byte
	err string
}

// Check reads the file when its identity moved (or it was never read), and
// calls load when its SHA-256 differs from the loaded content's. A missing
// file is an error that is fs.ErrNotExist; one that is there but cannot be
// read (a dangling link, not a regular file, over maxSize) is an error that
// is not. A failure is returned once: until something changes, later calls
// return neither it nor a change.
func (w *Watcher) Check() (changed bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fi, err := os.Stat(w.path) // follows the link a ConfigMap update swaps
	if err != nil {
		w.read = false
		err = w.notFound(err)
		return false, w.fail(failure{err: err.Error()}, err)
	}
	id := IdentityOf(fi)
	if w.read && id == w.seen {
		return false, nil // nothing moved since the last read, whatever came of it
	}
	data, id, err := w.readFile(fi)
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

// notFound returns err, from Stat, unless the path is still there as a
// link that leads nowhere: a broken update, not a deletion, so the error
// must not be fs.ErrNotExist.
func (w *Watcher) notFound(err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if _, lerr := os.Lstat(w.path); lerr != nil {
		return err // gone, or its directory is
	}
	target, _ := os.Readlink(w.path)
	return fmt.Errorf("%s: dangling symbolic link to %q", w.path, target)
}

// readFile reads the regular file of at most maxSize bytes that fi, the
// path's Stat, describes, and returns the identity of what it read.
func (w *Watcher) readFile(fi fs.FileInfo) ([]byte, Identity, error) {
	if err := w.readable(fi); err != nil { // before opening: a pipe's open waits for a writer
		return nil, IdentityOf(fi), err
	}
	f, err := os.OpenFile(w.path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, IdentityOf(fi), err
	}
	defer f.Close()
	opened, err := f.Stat() // what was opened, if swapped since the Stat
	if err != nil {
		return nil, IdentityOf(fi), err
	}
	fi = opened
	id := IdentityOf(fi)
	if err := w.readable(fi); err != nil {
		return nil, id, err
	}
	var r io.Reader = f
	if w.maxSize > 0 {
		r = io.LimitReader(f, w.maxSize+1) // it may grow while read
	}
	buf := bytes.NewBuffer(make([]byte, 0, fi.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, id, fmt.Errorf("reading %s: %w", w.path, err)
	}
	if w.maxSize > 0 && int64(buf.Len()) > w.maxSize {
		return nil, id, fmt.Errorf("%s: grew over the %d-byte limit while read", w.path, w.maxSize)
	}
	return buf.Bytes(), id, nil
}

// readable refuses what is not a regular file (a directory, a pipe, a
// device that never ends) and a file over maxSize.
func (w *Watcher) readable(fi fs.FileInfo) error {
	mode := fi.Mode()
	switch {
	case mode.IsDir():
		return fmt.Errorf("%s: a directory, not a regular file", w.path)
	case mode&fs.ModeNamedPipe != 0:
		return fmt.Errorf("%s: a named pipe, not a regular file", w.path)
	case !mode.IsRegular():
		return fmt.Errorf("%s: not a regular file (%s)", w.path, mode.Type())
	case w.maxSize > 0 && fi.Size() > w.maxSize:
		return fmt.Errorf("%s: %d bytes, over the %d-byte limit", w.path, fi.Size(), w.maxSize)
	}
	return nil
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
