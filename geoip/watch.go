package geoip

import (
	"time"

	clog "github.com/coredns/coredns/plugin/pkg/log"
)

var log = clog.NewWithPlugin("gslb")

// DefaultPoll is how often the file is checked for a new database.
const DefaultPoll = 30 * time.Second

// Watch checks the file every interval and swaps in a changed database; a
// bad new file is logged and the loaded one kept. It runs until Stop.
func (d *DB) Watch(interval time.Duration) { d.file.Start(interval) }

// Stop ends Watch and waits for it.
func (d *DB) Stop() { d.file.Stop() }

func (d *DB) reported(changed bool, err error) {
	switch {
	case err != nil:
		reloads.WithLabelValues("error").Inc()
		log.Errorf("%v; keeping the loaded database", d.wrap(err))
	case changed:
		reloads.WithLabelValues("success").Inc()
		log.Infof("geoip %s: reloaded", d.path)
	}
}
