package dial

import (
	"net/netip"
	"syscall"
	"unsafe"
)

// The system calls a probe makes on its socket before the poller knows it
// never block: the socket is non-blocking, and with SO_LINGER 0 close aborts
// at once. They are made raw, without telling the scheduler: on loopback a
// connect runs the whole handshake in the kernel (~25 µs), and with one P the
// runtime's monitor would hand the P to another thread meanwhile, a thread
// wake-up and two context switches per probe.

var lingerAbort = syscall.Linger{Onoff: 1, Linger: 0}

// rawSockaddr is ap in the kernel's layout, built once per dialer.
type rawSockaddr struct {
	family int
	ptr    unsafe.Pointer // *syscall.RawSockaddrInet4 or *syscall.RawSockaddrInet6
	len    uintptr
}

func newRawSockaddr(ap netip.AddrPort) rawSockaddr {
	port := [2]byte{byte(ap.Port() >> 8), byte(ap.Port())} // network byte order
	if ap.Addr().Is4() {
		sa := &syscall.RawSockaddrInet4{Family: syscall.AF_INET, Addr: ap.Addr().As4()}
		*(*[2]byte)(unsafe.Pointer(&sa.Port)) = port
		return rawSockaddr{syscall.AF_INET, unsafe.Pointer(sa), syscall.SizeofSockaddrInet4}
	}
	sa := &syscall.RawSockaddrInet6{Family: syscall.AF_INET6, Addr: ap.Addr().As16()}
	*(*[2]byte)(unsafe.Pointer(&sa.Port)) = port
	return rawSockaddr{syscall.AF_INET6, unsafe.Pointer(sa), syscall.SizeofSockaddrInet6}
}

func setLingerAbort(fd int) error {
	_, _, e := syscall.RawSyscall6(syscall.SYS_SETSOCKOPT, uintptr(fd), syscall.SOL_SOCKET, syscall.SO_LINGER,
		uintptr(unsafe.Pointer(&lingerAbort)), unsafe.Sizeof(lingerAbort), 0)
	return errnoErr(e)
}

// ipBindAddressNoPort is IP_BIND_ADDRESS_NO_PORT of linux/in.h, which the
// syscall package does not name; it applies to IPv6 sockets too.
const ipBindAddressNoPort = 24

func setBindNoPort(fd int) error {
	on := int32(1)
	_, _, e := syscall.RawSyscall6(syscall.SYS_SETSOCKOPT, uintptr(fd), syscall.IPPROTO_IP, ipBindAddressNoPort,
		uintptr(unsafe.Pointer(&on)), unsafe.Sizeof(on), 0)
	return errnoErr(e)
}

func rawBind(fd int, sa rawSockaddr) error {
	_, _, e := syscall.RawSyscall(syscall.SYS_BIND, uintptr(fd), uintptr(sa.ptr), sa.len)
	return errnoErr(e)
}

func rawConnect(fd int, sa rawSockaddr) error {
	_, _, e := syscall.RawSyscall(syscall.SYS_CONNECT, uintptr(fd), uintptr(sa.ptr), sa.len)
	return errnoErr(e)
}

func rawClose(fd int) error {
	_, _, e := syscall.RawSyscall(syscall.SYS_CLOSE, uintptr(fd), 0, 0)
	return errnoErr(e)
}

func errnoErr(e syscall.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}
