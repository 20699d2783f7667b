package geoip

import (
	"os"
	"time"

	clog "github.com/coredns/coredns/plugin/pkg/log"
)

var log = clog.NewWithPlugin("gslb")

// DefaultPoll is how often the file is checked for a new database.
const DefaultPoll = 30 * time.Second

// fileStat is what a poll compares before reading the whole file.
type fileStat struct {
	size    int64
	modTime time.Time
}

// statFile follows symbolic links, so a Kubernetes ConfigMap or volume
// update, which swaps a link, shows as a change.
func statFile(path string) (fileStat, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStat{}, err
	}
	return fileStat{size: fi.Size(), modTime: fi.ModTime()}, nil
}

type watcher struct {
	stop, done chan struct{}
}

// Watch polls the file every interval and reloads the database when its
// checksum changes; a bad new file is logged and the loaded one kept. It
// runs until Stop.
func (d *DB) Watch(interval time.Duration) {
	if d.watch != nil {
		return
	}
	w := &watcher{stop: make(chan struct{}), done: make(chan struct{})}
	d.watch = w
	go func() {
		defer close(w.done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-tick.C:
				d.poll()
			}
		}
	}()
}

func (d *DB) poll() {
	st, err := statFile(d.path)
	if err == nil && st == d.stat {
		return
	}
	changed, err := d.load()
	switch {
	case err != nil:
		reloads.WithLabelValues("error").Inc()
		log.Errorf("%v; keeping the loaded database", err)
	case changed:
		reloads.WithLabelValues("success").Inc()
		log.Infof("geoip %s: reloaded", d.path)
	}
}

// Stop ends Watch and waits for it.
func (d *DB) Stop() {
	if d.watch == nil {
		return
	}
	close(d.watch.stop)
	<-d.watch.done
	d.watch = nil
}
