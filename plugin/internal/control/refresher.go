package control

// refresher compiles a stanza's answers after health changes, in a goroutine
// of its own: a prober only marks the change and goes on probing, and the
// changes that arrive while a compile runs cost one more compile, not one
// each.
type refresher struct {
	wake chan struct{} // capacity 1: a change not compiled yet
	stop chan struct{}
	done chan struct{}
}

func newRefresher() *refresher {
	return &refresher{wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// changed marks a change and never blocks: it is the lease's onChange.
func (r *refresher) changed() {
	select {
	case r.wake <- struct{}{}:
	default: // a compile is already due and will read this change too
	}
}

// run calls refresh at once for each mark, until close.
func (r *refresher) run(refresh func()) {
	defer close(r.done)
	for {
		select {
		case <-r.stop:
			return
		case <-r.wake:
		}
		select {
		case <-r.stop: // select picks at random when both are ready
			return
		default:
			refresh()
		}
	}
}

// close stops run and waits for a refresh in progress to return; no other
// starts once close is called.
func (r *refresher) close() {
	close(r.stop)
	<-r.done
}
