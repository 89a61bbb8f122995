package server

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// On illumos and Solaris, system calls go through libc: read and write
// are the plain ones (Go ignores SIGPIPE on sockets).

func rawRead(fd uintptr, b []byte) (int, syscall.Errno) { return errnoOf(unix.Read(int(fd), b)) }

func rawSend(fd uintptr, b []byte) (int, syscall.Errno) { return errnoOf(unix.Write(int(fd), b)) }

func errnoOf(n int, err error) (int, syscall.Errno) {
	var e syscall.Errno
	if err != nil && !errors.As(err, &e) {
		e = syscall.EIO
	}
	return max(n, 0), e
}
