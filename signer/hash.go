package signer

import (
	"bytes"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// hashRRset is the cache key of rrset as signed with origTTL: its owner
// (lower case), type, class and TTL, and its records' RDATA in canonical
// order (RFC 4034 §6.3), so that two orderings of the same members share
// one signature. The TTLs the records are served with are not in it.
func hashRRset(rrset []dns.RR, origTTL uint32) uint64 {
	h := fnv.New64a()
	hdr := rrset[0].Header()
	h.Write([]byte(strings.ToLower(hdr.Name)))
	var fixed [8]byte
	binary.BigEndian.PutUint16(fixed[0:], hdr.Rrtype)
	binary.BigEndian.PutUint16(fixed[2:], hdr.Class)
	binary.BigEndian.PutUint32(fixed[4:], origTTL)
	h.Write(fixed[:])
	var buf [1024]byte
	datas := make([][]byte, 0, len(rrset))
	for _, rr := range rrset {
		datas = append(datas, rdata(rr, buf[:]))
	}
	slices.SortFunc(datas, bytes.Compare)
	for _, d := range datas {
		h.Write(d)
	}
	return h.Sum64()
}

// rdata is rr's RDATA in wire form, uncompressed: for addresses, their
// bytes; otherwise rr packed into scratch, its header cut off.
func rdata(rr dns.RR, scratch []byte) []byte {
	switch rr := rr.(type) {
	case *dns.A:
		return rr.A.To4()
	case *dns.AAAA:
		return rr.AAAA.To16()
	}
	end, err := dns.PackRR(rr, scratch, 0, nil, false)
	name, nerr := dns.PackDomainName(rr.Header().Name, scratch[end:], 0, nil, false)
	if err != nil || nerr != nil {
		return []byte(rr.String()) // unpackable: its text still tells it apart
	}
	return bytes.Clone(scratch[name+10 : end]) // after the owner, type, class, TTL and RDLENGTH

}
