package server

import (
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// netGap has a goroutine wait until Go's scheduler next polls the
// network, which it does once it has no goroutine left to run (or every
// 10 ms): the goroutines whose connections are ready are then readied
// with it. It is an eventfd that pass signals and then waits for, through
// the netpoller.
type netGap struct {
	f   *os.File
	rc  syscall.RawConn
	buf [8]byte
}

// newNetGap makes a gap; without an eventfd, pass only yields the
// processor.
func newNetGap() *netGap {
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return &netGap{}
	}
	g := &netGap{f: os.NewFile(uintptr(fd), "netgap")}
	if g.rc, err = g.f.SyscallConn(); err != nil {
		g.f.Close()
		return &netGap{}
	}
	return g
}

// pass returns once the network has been polled.
func (g *netGap) pass() {
	if g.rc == nil {
		runtime.Gosched()
		return
	}
	first := true
	g.rc.Read(func(fd uintptr) bool {
		if first {
			// Signalled once the wait is prepared, so that the signal
			// cannot be missed; it comes through the netpoller.
			first = false
			g.buf = [8]byte{1}
			unix.RawSyscall(unix.SYS_WRITE, fd, uintptr(unsafe.Pointer(&g.buf[0])), uintptr(len(g.buf)))
			return false
		}
		_, _, e := unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&g.buf[0])), uintptr(len(g.buf)))
		return e != syscall.EAGAIN
	})
}

func (g *netGap) close() {
	if g.f != nil {
		g.f.Close()
	}
}
