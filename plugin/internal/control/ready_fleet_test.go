package control

import (
	"net"
	"testing"
	"time"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/internal/etcdtest"
	"github.com/gslb/gslb/internal/poll"
)

// storeOnly is a controller of twoPools with a store at endpoint and no
// checks: its readiness waits for the store alone.
func storeOnly(t *testing.T, endpoint string) *Controller {
	t.Helper()
	cfg := twoPools()
	st := &config.Store{Config: fleet.NewConfig([]string{endpoint}, "self")}
	st.Lease, st.Timeout = 3*time.Second, 500*time.Millisecond
	cfg.Store = st
	return started(t, cfg)
}

func TestReadyAfterTheFirstReadOfTheStore(t *testing.T) {
	etcd := etcdtest.Start(t)
	c := storeOnly(t, etcd.Endpoint())
	poll.Until(t, "ready once the store is read", 10*time.Second, c.Ready)
	if v := c.m.ballot.View(); !v.Connected {
		t.Error("ready before the store was read")
	}
}

// A store that never answers holds readiness back for two request
// timeouts, not longer: the instance then serves on its own verdicts.
func TestReadyWithoutTheStore(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never speaks etcd's gRPC
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	start := time.Now()
	c := storeOnly(t, "http://"+ln.Addr().String())
	if c.Ready() {
		t.Fatal("ready at once, before the store could be read")
	}
	poll.Until(t, "ready without the store", 10*time.Second, c.Ready)
	if waited := time.Since(start); waited < 2*500*time.Millisecond {
		t.Errorf("ready %s after start: the store was given less than two timeouts", waited)
	}
	if v := c.m.ballot.View(); v.Usable {
		t.Error("a store never read is used")
	}
}
