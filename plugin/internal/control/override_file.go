package control

import (
	"errors"
	"io/fs"
	"time"

	"github.com/gslb/gslb/internal/filewatch"
	"github.com/gslb/gslb/override"
	"github.com/gslb/gslb/plugin/internal/metrics"
)

// DefaultOverridePoll is how often the override file is checked: often
// enough for an evacuation drill, cheap for a file of a few lines.
const DefaultOverridePoll = 5 * time.Second

// newOverrideFile watches the stanza's override file, nil without one.
func (c *Controller) newOverrideFile() *filewatch.Watcher {
	if c.cfg.Override == "" {
		return nil
	}
	return filewatch.New(c.cfg.Override, c.loadOverrides, c.reportOverrides)
}

// loadOverrides takes a changed override file. A bad line is an error: the
// overrides in force stay.
func (c *Controller) loadOverrides(data []byte) error {
	entries, err := override.Parse(c.cfg.Override, data)
	if err != nil {
		return err
	}
	o, err := newOverrides(c.cfg.Override, c.cfg.Pools, entries)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.overrides = o
	c.mu.Unlock()
	metrics.OverrideLoads.WithLabelValues(c.zone, "success").Inc()
	log.Infof("override %s: in force: %s", c.cfg.Override, o)
	c.Refresh()
	return nil
}

// reportOverrides logs a rejected file, and clears the overrides when the
// file is gone: a deleted override file means no overrides.
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
