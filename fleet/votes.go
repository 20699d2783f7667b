package fleet

import (
	"maps"
	"slices"
)

// ObserverVote is one live observer's vote on a member.
type ObserverVote struct {
	Observer string
	Vote
}

// VotesOf returns, for each of members (MemberKeys), the votes the live
// observers hold on it, sorted by observer: for the status API, which
// shows each observer's word, not only the tally. It copies under the
// session's lock; nothing on the query path calls it.
func (b *Ballot) VotesOf(members []string) [][]ObserverVote {
	s := b.s
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]ObserverVote, len(members))
	for i, m := range members {
		byObs := s.table.votes[m]
		for _, obs := range slices.Sorted(maps.Keys(byObs)) {
			if _, live := s.table.observers[obs]; live {
				out[i] = append(out[i], ObserverVote{Observer: obs, Vote: byObs[obs]})
			}
		}
	}
	return out
}
