package uring

import (
	"errors"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Opcodes.
const (
	opPollAdd = 6
	opSend    = 26
	opRecv    = 27
)

// SQE flags.
const (
	// Link makes the next request start only once this one succeeded;
	// when this one fails the next completes with -ECANCELED.
	Link = 1 << 2
)

const (
	setupClamp        = 1 << 4
	setupCQSize       = 1 << 3
	setupSingleIssuer = 1 << 12
	setupDeferTaskrun = 1 << 13
	enterGetEvents    = 1
	enterExtArg       = 1 << 3
	registerEventfd   = 4
	cqEventfdDisabled = 1 // IORING_CQ_EVENTFD_DISABLED, in the CQ ring's flags
	recvPollFirst     = 1 // IORING_RECVSEND_POLL_FIRST, in ioprio
	offSQEs           = 0x10000000
)

type params struct {
	sqEntries, cqEntries, flags, sqThreadCPU, sqThreadIdle, features, wqFd uint32
	resv                                                                   [3]uint32
	sqOff                                                                  struct {
		head, tail, ringMask, ringEntries, flags, dropped, array, resv1 uint32
		userAddr                                                        uint64
	}
	cqOff struct {
		head, tail, ringMask, ringEntries, overflow, cqes, flags, resv1 uint32
		userAddr                                                        uint64
	}
}

// sqe is a submission queue entry, as the kernel lays it out.
type sqe struct {
	opcode      uint8
	flags       uint8
	ioprio      uint16
	fd          int32
	off         uint64
	addr        uint64
	len         uint32
	opFlags     uint32
	userData    uint64
	bufIndex    uint16
	personality uint16
	spliceFdIn  int32
	addr3       uint64
	pad         uint64
}

// CQE is a completion: the request's user data and its result (bytes
// moved, or a negated errno).
type CQE struct {
	UserData uint64
	Res      int32
	Flags    uint32
}

// Ring is one io_uring.
type Ring struct {
	fd       int
	sqHead   *uint32
	sqTail   *uint32
	sqMask   uint32
	sqArray  []uint32
	sqes     []sqe
	cqHead   *uint32
	cqTail   *uint32
	cqMask   uint32
	cqes     []CQE
	cqFlags  *uint32
	tail     uint32 // the submission tail, published by Enter
	toSubmit uint32
	mem      [][]byte
	// What EnterFor hands the kernel: in the Ring, on the heap and
	// pinned, never on a goroutine's stack, which moves when it grows.
	wait   waitArgs
	pinner runtime.Pinner
}

// waitArgs are a timed wait's arguments, as io_uring_enter(2) reads them.
type waitArgs struct {
	arg getEventsArg
	ts  unix.Timespec
}

// ErrUnsupported says the kernel has no io_uring this package can use
// (too old, disabled by sysctl, or refused by a seccomp filter).
var ErrUnsupported = errors.New("io_uring with DEFER_TASKRUN (Linux 6.1) is not available")

// New makes a ring with room for entries submissions and four times as
// many completions.
func New(entries uint32) (*Ring, error) {
	p := params{flags: setupSingleIssuer | setupDeferTaskrun | setupClamp | setupCQSize, cqEntries: 4 * entries}
	fd, _, e := unix.Syscall(unix.SYS_IO_URING_SETUP, uintptr(entries), uintptr(unsafe.Pointer(&p)), 0)
	if e != 0 {
		if e == syscall.ENOSYS || e == syscall.EPERM || e == syscall.EINVAL {
			return nil, ErrUnsupported
		}
		return nil, e
	}
	r := &Ring{fd: int(fd)}
	size := max(p.sqOff.array+p.sqEntries*4, p.cqOff.cqes+p.cqEntries*uint32(unsafe.Sizeof(CQE{})))
	rings, err := syscall.Mmap(r.fd, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED|syscall.MAP_POPULATE)
	if err != nil {
		syscall.Close(r.fd)
		return nil, err
	}
	sqes, err := syscall.Mmap(r.fd, offSQEs, int(p.sqEntries)*int(unsafe.Sizeof(sqe{})), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED|syscall.MAP_POPULATE)
	if err != nil {
		syscall.Munmap(rings)
		syscall.Close(r.fd)
		return nil, err
	}
	r.mem = [][]byte{rings, sqes}
	at := func(off uint32) *uint32 { return (*uint32)(unsafe.Pointer(&rings[off])) }
	r.sqHead, r.sqTail, r.sqMask = at(p.sqOff.head), at(p.sqOff.tail), *at(p.sqOff.ringMask)
	r.sqArray = unsafe.Slice(at(p.sqOff.array), p.sqEntries)
	r.sqes = unsafe.Slice((*sqe)(unsafe.Pointer(&sqes[0])), p.sqEntries)
	r.cqHead, r.cqTail, r.cqMask = at(p.cqOff.head), at(p.cqOff.tail), *at(p.cqOff.ringMask)
	r.cqes = unsafe.Slice((*CQE)(unsafe.Pointer(&rings[p.cqOff.cqes])), p.cqEntries)
	r.cqFlags = at(p.cqOff.flags)
	r.tail = atomic.LoadUint32(r.sqTail)
	r.pinner.Pin(&r.wait)
	r.wait.arg.ts = uint64(uintptr(unsafe.Pointer(&r.wait.ts)))
	return r, nil
}

// Close releases the ring; requests still in flight are cancelled.
func (r *Ring) Close() error {
	for _, m := range r.mem {
		syscall.Munmap(m)
	}
	r.mem = nil
	err := syscall.Close(r.fd)
	r.pinner.Unpin()
	return err
}

// next is a cleared submission entry; when the queue is full, what it
// holds is submitted first.
func (r *Ring) next() (*sqe, error) {
	if r.tail-atomic.LoadUint32(r.sqHead) >= uint32(len(r.sqes)) {
		if err := r.Enter(false); err != nil {
			return nil, err
		}
	}
	i := r.tail & r.sqMask
	s := &r.sqes[i]
	*s = sqe{}
	r.sqArray[i] = i
	r.tail++
	r.toSubmit++
	return s, nil
}

// prep fills the next submission entry for an operation on fd over b,
// which must stay untouched, where it is (on the heap, pinned with a
// runtime.Pinner), until the operation completes.
func (r *Ring) prep(op uint8, fd int, b []byte, userData uint64) (*sqe, error) {
	s, err := r.next()
	if err != nil {
		return nil, err
	}
	s.opcode, s.fd, s.userData = op, int32(fd), userData
	s.addr, s.len = uint64(uintptr(unsafe.Pointer(&b[0]))), uint32(len(b))
	return s, nil
}

// Send queues a send(2) of all of b on a socket (MSG_WAITALL: the request
// completes once every byte is sent, or fails).
func (r *Ring) Send(fd int, b []byte, flags uint8, userData uint64) error {
	s, err := r.prep(opSend, fd, b, userData)
	if err == nil {
		s.flags, s.opFlags = flags, syscall.MSG_WAITALL|syscall.MSG_NOSIGNAL
	}
	return err
}

// Recv queues a recv(2) into b on a socket that is not expected to have
// data yet (the kernel waits for it before trying).
func (r *Ring) Recv(fd int, b []byte, flags uint8, userData uint64) error {
	s, err := r.prep(opRecv, fd, b, userData)
	if err == nil {
		s.flags, s.ioprio = flags, recvPollFirst
	}
	return err
}

// PollIn queues a wait until fd is readable (one-shot).
func (r *Ring) PollIn(fd int, userData uint64) error {
	s, err := r.next()
	if err == nil {
		s.opcode, s.fd, s.userData, s.opFlags = opPollAdd, int32(fd), userData, syscall.EPOLLIN
	}
	return err
}

// Enter submits what is queued and, with wait, waits for at least one
// completion.
func (r *Ring) Enter(wait bool) error {
	if wait {
		return r.enter(false, 1, enterGetEvents, 0, 0)
	}
	return r.enter(false, 0, 0, 0, 0)
}

// getEventsArg is struct io_uring_getevents_arg (IORING_ENTER_EXT_ARG).
type getEventsArg struct {
	sigmask   uint64
	sigmaskSz uint32
	pad       uint32
	ts        uint64 // a *syscall.Timespec
}

// EnterFor submits what is queued and waits at most d for a completion.
// Whether one came, Ready tells.
//
// It waits without telling Go's scheduler, as a raw system call: the
// goroutine keeps its P and cannot be preempted until the call returns,
// so d must be short (a signal, such as the runtime's preemption
// request, ends the wait early). In return, a call costs no scheduler
// work, and does not wake the scheduler's monitor, which a system call
// made after a quiet spell does (and it then polls every 20 µs for a
// millisecond or more).
func (r *Ring) EnterFor(d time.Duration) error {
	r.wait.ts = unix.NsecToTimespec(d.Nanoseconds())
	return r.enter(true, 1, enterGetEvents|enterExtArg, uintptr(unsafe.Pointer(&r.wait.arg)), unsafe.Sizeof(r.wait.arg))
}

// Flush runs the work the kernel deferred to this thread (receives whose
// data came, among others) without waiting: what completed is then Ready.
// It never blocks, so it too is a raw system call.
func (r *Ring) Flush() error {
	return r.enter(true, 0, enterGetEvents, 0, 0)
}

// enter is io_uring_enter(2) for what is queued, raw (unseen by Go's
// scheduler: see EnterFor) or not. A raw call that waits ends at a
// timeout or a signal (so that the runtime can preempt); any other call is
// made again after a signal, and after the kernel refused more
// submissions while completions wait to be taken.
func (r *Ring) enter(raw bool, minComplete, flags, arg, argSize uintptr) error {
	atomic.StoreUint32(r.sqTail, r.tail)
	call := unix.Syscall6
	if raw {
		call = unix.RawSyscall6
	}
	for {
		n, _, e := call(unix.SYS_IO_URING_ENTER, uintptr(r.fd), uintptr(r.toSubmit), minComplete, flags, arg, argSize)
		switch e {
		case 0:
			r.toSubmit -= uint32(n)
			return nil
		case syscall.ETIME:
			// Nothing came (and nothing was queued: else the count of
			// what was submitted is the answer).
			return nil
		case syscall.EINTR:
			if raw && minComplete > 0 {
				return nil
			}
			continue
		case syscall.EBUSY, syscall.EAGAIN:
			// Completions must be reaped before more can be submitted.
			if r.Ready() > 0 {
				return nil
			}
			continue
		}
		return e
	}
}

// NotifyTo has the kernel signal the eventfd efd when work for the ring
// comes, while notifications are on (SetNotify): a thread can then wait
// for the eventfd, with poll(2) or Go's netpoller, instead of in
// io_uring_enter. They start off.
func (r *Ring) NotifyTo(efd int) error {
	r.SetNotify(false)
	fd := int32(efd)
	if _, _, e := unix.Syscall6(unix.SYS_IO_URING_REGISTER, uintptr(r.fd), registerEventfd, uintptr(unsafe.Pointer(&fd)), 1, 0, 0); e != 0 {
		return e
	}
	return nil
}

// SetNotify turns the signals of NotifyTo's eventfd on or off.
func (r *Ring) SetNotify(on bool) {
	f := atomic.LoadUint32(r.cqFlags)
	if on {
		f &^= cqEventfdDisabled
	} else {
		f |= cqEventfdDisabled
	}
	atomic.StoreUint32(r.cqFlags, f)
}

// Ready is how many completions wait to be taken.
func (r *Ring) Ready() int {
	return int(atomic.LoadUint32(r.cqTail) - atomic.LoadUint32(r.cqHead))
}

// Completions calls f for every completion there is, then frees their
// slots.
func (r *Ring) Completions(f func(CQE)) {
	head := atomic.LoadUint32(r.cqHead)
	tail := atomic.LoadUint32(r.cqTail)
	for ; head != tail; head++ {
		f(r.cqes[head&r.cqMask])
	}
	atomic.StoreUint32(r.cqHead, head)
}
