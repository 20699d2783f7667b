package control

import "github.com/gslb/gslb/fleet"

// Fleet returns what the status API shows of the fleet's store: the view
// the last compile followed and, by (pool, member) position, each live
// observer's vote on the probed members. Nil without a store.
func (c *Controller) Fleet() (*fleet.View, map[[2]int][]fleet.ObserverVote) {
	c.mu.Lock()
	m := c.m
	c.mu.Unlock()
	if m.ballot == nil {
		return nil, nil
	}
	ballot := m.ballot
	votes := ballot.VotesOf(m.keys)
	byMember := make(map[[2]int][]fleet.ObserverVote, len(votes))
	for i, m := range m.probes.members {
		byMember[[2]int{m.pool, m.member}] = votes[i]
	}
	return ballot.View(), byMember
}
