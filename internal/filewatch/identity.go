package filewatch

import (
	"io/fs"
)

// Identity tells whether a file may have changed since it was read. Size
// and modification time alone miss a replacement of the same length with
// the time kept (cp -p, rsync -t, tar -x), so it also holds the device and
// inode, new when a link is swapped or a file renamed over, and the status
// change time, which moves on every write and cannot be set back. That
// costs one stat a poll whatever the size; hashing every poll instead
// would read a GeoIP database of hundreds of megabytes each time.
type Identity struct {
	size, modTime int64
	dev, ino      uint64
	ctime         int64 // status change, Unix nanoseconds
}

// IdentityOf is the identity of the file fi describes, from one stat.
func IdentityOf(fi fs.FileInfo) Identity {
	id := Identity{size: fi.Size(), modTime: fi.ModTime().UnixNano()}
	id.dev, id.ino, id.ctime = inode(fi)
	return id
}
