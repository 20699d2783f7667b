//go:build linux || openbsd || dragonfly || solaris || illumos

package filewatch

import "syscall"

func statusTime(st *syscall.Stat_t) int64 { return syscall.TimespecToNsec(st.Ctim) }
