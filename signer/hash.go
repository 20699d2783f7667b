package signer

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/miekg/dns"
)

// hashRRset is the cache key of rrset as signed with origTTL: its owner
// (lower case), type, class and TTL, and its records' RDATA in canonical
// order (RFC 4034 §6.3), so that two orderings of the same members share
// one signature. The TTLs the records are served with are not in it. An
// answer of a few addresses is hashed without allocating.
func hashRRset(rrset []dns.RR, origTTL uint32) uint64 {
	h := fnv64(offset64)
	hdr := rrset[0].Header()
	h.lower(hdr.Name)
	var fixed [8]byte
	binary.BigEndian.PutUint16(fixed[0:], hdr.Rrtype)
	binary.BigEndian.PutUint16(fixed[2:], hdr.Class)
	binary.BigEndian.PutUint32(fixed[4:], origTTL)
	h.write(fixed[:])
	var spans [8][]byte
	datas := spans[:0]
	var scratch []byte // for records other than addresses, which escape to the packer
	for _, rr := range rrset {
		switch rr := rr.(type) {
		case *dns.A:
			datas = append(datas, rr.A.To4())
		case *dns.AAAA:
			datas = append(datas, rr.AAAA.To16())
		default:
			if scratch == nil {
				scratch = make([]byte, 1024) // a record too long for it is hashed by its text
			}
			datas = append(datas, rdata(rr, scratch))
		}
	}
	slices.SortFunc(datas, bytes.Compare)
	for _, d := range datas {
		h.write(d)
	}
	return uint64(h)
}

// fnv64 is FNV-1a, 64 bits, kept in a register rather than behind
// hash.Hash64.
type fnv64 uint64

const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

func (h *fnv64) write(b []byte) {
	for _, c := range b {
		*h = (*h ^ fnv64(c)) * prime64
	}
}

// lower writes s in ASCII lower case, as names compare.
func (h *fnv64) lower(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		*h = (*h ^ fnv64(c)) * prime64
	}
}

// rdata is rr's RDATA in wire form, uncompressed: rr packed into
// scratch, its header cut off.
func rdata(rr dns.RR, scratch []byte) []byte {
	end, err := dns.PackRR(rr, scratch, 0, nil, false)
	name, nerr := dns.PackDomainName(rr.Header().Name, scratch[end:], 0, nil, false)
	if err != nil || nerr != nil {
		return []byte(rr.String()) // unpackable: its text still tells it apart
	}
	return bytes.Clone(scratch[name+10 : end]) // after the owner, type, class, TTL and RDLENGTH
}
