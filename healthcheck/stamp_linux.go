package healthcheck

import (
	"io/fs"
	"syscall"
)

func inode(fi fs.FileInfo) (dev, ino uint64, ctime int64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0
	}
	return uint64(st.Dev), uint64(st.Ino), syscall.TimespecToNsec(st.Ctim) // Dev is 32 bits on some architectures
}
