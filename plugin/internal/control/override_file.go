package control

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/gslb/gslb/internal/filewatch"
	"github.com/gslb/gslb/override"
	"github.com/gslb/gslb/plugin/internal/metrics"
)

// DefaultOverridePoll is how often the override file is checked: often
// enough for an evacuation drill, cheap for a file of a few lines.
const DefaultOverridePoll = 5 * time.Second

// maxOverrideSize bounds the override file, a few lines in practice: a
// bigger one is a mistake (a database copied over it, a runaway writer),
// refused before it is read.
const maxOverrideSize = 1 << 20

// newOverrideFile watches the stanza's override file, nil without one.
func (c *Controller) newOverrideFile() *filewatch.Watcher {
	if c.cfg.Override == "" {
		return nil
	}
	return filewatch.New(c.cfg.Override, maxOverrideSize, c.loadOverrides, c.reportOverrides)
}

// CheckOverrides reads the override file before Start polls it; call it
// first in OnStartup, and fail the start on its error. That is a file that
// is there but cannot be read (a dangling link, a directory or pipe, over
// the size cap): there are no overrides in force yet to keep, and serving
// without them would send traffic where the file drains it. On a reload
// the running config keeps serving, its overrides in force. A file with a
// bad line fails the start too, for the same reason. No file yet means no
// overrides.
func (c *Controller) CheckOverrides() error {
	if c.overrideFile == nil {
		return nil
	}
	changed, err := c.overrideFile.Check()
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		c.reportOverrides(changed, err)
		return nil
	}
	metrics.OverrideLoads.WithLabelValues(c.zone, "error").Inc()
	return fmt.Errorf("override file: %w", err) // fails the start, logged there
}

// loadOverrides takes a changed override file. A bad line is an error: the
// overrides in force stay.
func (c *Controller) loadOverrides(data []byte) error {
	entries, err := override.Parse(c.cfg.Override, data)
	if err != nil {
		return err
	}
	c.mu.Lock()
	o, err := newOverrides(c.cfg.Override, c.cfg, c.m.pools, entries)
	if err == nil {
		c.overrides = o
	}
	c.mu.Unlock()
	if err != nil {
		return err
	}
	metrics.OverrideLoads.WithLabelValues(c.zone, "success").Inc()
	log.Infof("override %s: in force: %s", c.cfg.Override, o)
	c.Refresh()
	return nil
}

// reportOverrides logs a rejected or unreadable file, keeping the
// overrides in force, and clears them when the file is gone: a deleted
// override file means no overrides. A dangling link is not gone: a broken
// update must not lift a drain.
func (c *Controller) reportOverrides(_ bool, err error) {
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist):
		c.mu.Lock()
		had := c.overrides != nil
		c.overrides = nil
		c.mu.Unlock()
		if had {
			log.Infof("override %s: removed, no overrides in force", c.cfg.Override)
			c.overrideFile.Forget()
			c.Refresh()
		}
	default:
		metrics.OverrideLoads.WithLabelValues(c.zone, "error").Inc()
		c.mu.Lock()
		current := c.overrides
		c.mu.Unlock()
		log.Errorf("%v; keeping the overrides in force: %s", err, current)
	}
}
