//go:build linux || openbsd || dragonfly || solaris || illumos || darwin || ios || freebsd || netbsd

package filewatch

import (
	"io/fs"
	"syscall"
)

const hasStatusTime = true

// openFlags keeps open from waiting for a writer should a pipe be swapped
// in after the Stat that found a file; a file's reads ignore it.
const openFlags = syscall.O_NONBLOCK

func inode(fi fs.FileInfo) (dev, ino uint64, ctime int64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0
	}
	return uint64(st.Dev), uint64(st.Ino), statusTime(st)
}
