package plugin

import (
	"errors"
	"io/fs"
	"time"

	"github.com/gslb/gslb/override"
)

// defaultOverridePoll is how often the override file is checked: often
// enough for an evacuation drill, cheap for a file of a few lines.
const defaultOverridePoll = 5 * time.Second

// loadOverrides takes a changed override file. A bad line is an error: the
// overrides in force stay.
func (g *GSLB) loadOverrides(data []byte) error {
	entries, err := override.Parse(g.cfg.Override, data)
	if err != nil {
		return err
	}
	o, err := newOverrides(g.cfg.Override, g.cfg, entries)
	if err != nil {
		return err
	}
	g.mu.Lock()
	g.overrides = o
	g.mu.Unlock()
	overrideLoads.WithLabelValues(g.cfg.Zones[0], "success").Inc()
	log.Infof("override %s: in force: %s", g.cfg.Override, o)
	g.refresh()
	return nil
}

// reportOverrides logs a rejected file, and clears the overrides when the
// file is gone: a deleted override file means no overrides.
func (g *GSLB) reportOverrides(_ bool, err error) {
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist):
		g.mu.Lock()
		had := g.overrides != nil
		g.overrides = nil
		g.mu.Unlock()
		if had {
			log.Infof("override %s: removed, no overrides in force", g.cfg.Override)
			g.overrideFile.Forget()
			g.refresh()
		}
	default:
		overrideLoads.WithLabelValues(g.cfg.Zones[0], "error").Inc()
		g.mu.Lock()
		current := g.overrides
		g.mu.Unlock()
		log.Errorf("%v; keeping the overrides in force: %s", err, current)
	}
}
