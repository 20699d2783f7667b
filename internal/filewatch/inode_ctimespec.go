//go:build darwin || ios || freebsd || netbsd

package filewatch

import "syscall"

// These systems name the status change time Ctimespec.
func statusTime(st *syscall.Stat_t) int64 { return syscall.TimespecToNsec(st.Ctimespec) }
