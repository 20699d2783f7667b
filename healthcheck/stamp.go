package healthcheck

import "io/fs"

// fileStamp is what a stat tells of a file: it moves when the file may
// have changed. Size and modification time miss a replacement of the same
// length with the time kept (cp -p), so where the system gives them it also
// holds the device and inode, new when a link is swapped or a file renamed
// over, and the status change time, which every write moves.
type fileStamp struct {
	size, modTime int64
	dev, ino      uint64
	ctime         int64
}

func stampOf(fi fs.FileInfo) fileStamp {
	st := fileStamp{size: fi.Size(), modTime: fi.ModTime().UnixNano()}
	st.dev, st.ino, st.ctime = inode(fi)
	return st
}
