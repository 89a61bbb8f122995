package server

import (
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// tick is a kernel timer (timerfd) that Go's netpoller waits for: a
// goroutine woken by it costs an idle upsd one thread's wake-up, where one
// of Go's timers also wakes the scheduler's monitor (sysmon), which then
// polls every 20 µs for a millisecond or more.
type tick struct {
	f   *os.File
	rc  syscall.RawConn
	buf [8]byte
}

// newTick ticks every d.
func newTick(d time.Duration) (*tick, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	ts := unix.NsecToTimespec(d.Nanoseconds())
	if err := unix.TimerfdSettime(fd, 0, &unix.ItimerSpec{Interval: ts, Value: ts}, nil); err != nil {
		unix.Close(fd)
		return nil, err
	}
	t := &tick{f: os.NewFile(uintptr(fd), "tick")}
	if t.rc, err = t.f.SyscallConn(); err != nil {
		t.f.Close()
		return nil, err
	}
	return t, nil
}

// Wait waits for the next tick; an error once the tick is closed.
func (t *tick) Wait() error {
	return t.rc.Read(func(fd uintptr) bool {
		// Raw, as rawIO's: a system call through the scheduler wakes
		// sysmon too.
		_, _, e := unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&t.buf[0])), uintptr(len(t.buf)))
		return e != syscall.EAGAIN && e != syscall.EINTR
	})
}

// Close stops the tick; Wait returns.
func (t *tick) Close() error { return t.f.Close() }
