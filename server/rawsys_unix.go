//go:build !solaris

package server

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawRead is read(2) on fd, past Go's scheduler.
func rawRead(fd uintptr, b []byte) (int, syscall.Errno) {
	n, _, e := unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	return int(n), e
}

// rawSend is send(2) on fd without SIGPIPE, past Go's scheduler.
func rawSend(fd uintptr, b []byte) (int, syscall.Errno) {
	n, _, e := unix.RawSyscall6(unix.SYS_SENDTO, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), unix.MSG_NOSIGNAL, 0, 0)
	return int(n), e
}
