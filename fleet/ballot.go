package fleet

import "sync"

// Ballot is one stanza's part in a session: the members it votes on, and
// who to tell when the fleet's verdicts change.
type Ballot struct {
	r        *Registry
	s        *Session
	load     any      // the Corefile load of its stanza
	members  []string // MemberKeys, in the order Publish takes votes
	onChange func()
	release  sync.Once

	// What Publish last handed the session, by position, and the
	// positions that differ from it this time: a compile of 10,000
	// unchanged members compares two slices and takes no lock.
	last    []Vote
	changed []int
}

// Publish sets this instance's votes, one per member in the order given to
// Acquire. It returns at once: changed votes are written in the
// background, batched. Calls must not overlap (a stanza compiles one at a
// time).
func (b *Ballot) Publish(votes []Vote) {
	b.changed = b.changed[:0]
	for i, v := range votes {
		if b.last == nil || !v.same(b.last[i]) {
			b.changed = append(b.changed, i)
		}
	}
	if len(b.changed) == 0 {
		return
	}
	b.s.publish(b, votes, b.changed)
	b.last = append(b.last[:0], votes...)
}

// View returns the fleet's verdicts as this instance knows them now.
func (b *Ballot) View() *View { return b.s.View() }

// Synced is closed once the session has read the store a first time.
func (b *Ballot) Synced() <-chan struct{} { return b.s.synced }

// Release withdraws the ballot's votes (those no other ballot publishes);
// the session closes, revoking its lease, when no ballot re-joins it
// within the registry's grace. Idempotent; no onChange after it returns.
func (b *Ballot) Release() { b.release.Do(func() { b.r.release(b) }) }
