package uring

import (
	"errors"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func newRing(t *testing.T) *Ring {
	t.Helper()
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	r, err := New(8)
	if errors.Is(err, ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// wait enters until n completions came, and returns them.
func wait(t *testing.T, r *Ring, n int) []CQE {
	t.Helper()
	var got []CQE
	for len(got) < n {
		if err := r.Enter(true); err != nil {
			t.Fatal(err)
		}
		r.Completions(func(e CQE) { got = append(got, e) })
	}
	return got
}

func socketPair(t *testing.T) (int, int) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fds[0]); syscall.Close(fds[1]) })
	return fds[0], fds[1]
}

// A send with a receive linked after it: both complete, in order, and
// the receive waits for what the other end sends.
func TestSendThenLinkedReceive(t *testing.T) {
	r := newRing(t)
	a, b := socketPair(t)
	out, in := []byte("VAR u ups.status \"OL\"\n"), make([]byte, 64)
	if err := r.Send(a, out, Link, 1); err != nil {
		t.Fatal(err)
	}
	if err := r.Recv(a, in, 0, 2); err != nil {
		t.Fatal(err)
	}
	if err := r.Enter(false); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 64)
	n, err := syscall.Read(b, got)
	if err != nil || string(got[:n]) != string(out) {
		t.Fatalf("the other end read %q (%v)", got[:n], err)
	}
	syscall.Write(b, []byte("GET VAR u ups.status\n"))
	cqes := wait(t, r, 2)
	if cqes[0].UserData != 1 || int(cqes[0].Res) != len(out) {
		t.Fatalf("send completed as %+v", cqes[0])
	}
	if cqes[1].UserData != 2 || string(in[:cqes[1].Res]) != "GET VAR u ups.status\n" {
		t.Fatalf("receive completed as %+v with %q", cqes[1], in[:max(cqes[1].Res, 0)])
	}
}

// When the send fails, the receive linked after it is cancelled, and
// both say so.
func TestFailedSendCancelsLinkedReceive(t *testing.T) {
	r := newRing(t)
	a, b := socketPair(t)
	syscall.Close(b)
	in := make([]byte, 64)
	r.Send(a, []byte("answer\n"), Link, 1)
	r.Recv(a, in, 0, 2)
	cqes := wait(t, r, 2)
	if cqes[0].UserData != 1 || cqes[0].Res >= 0 {
		t.Fatalf("send to a closed peer completed as %+v", cqes[0])
	}
	if cqes[1].UserData != 2 || cqes[1].Res != -int32(syscall.ECANCELED) {
		t.Fatalf("linked receive completed as %+v, want -ECANCELED", cqes[1])
	}
}

// PollIn completes once its pipe has something to read.
func TestPollInWaitsForPipe(t *testing.T) {
	r := newRing(t)
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(p[0])
	defer syscall.Close(p[1])
	r.PollIn(p[0], 7)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if r.Ready() != 0 {
		t.Fatal("the poll completed before anything was written")
	}
	syscall.Write(p[1], []byte{1})
	if cqes := wait(t, r, 1); cqes[0].UserData != 7 || cqes[0].Res&syscall.EPOLLIN == 0 {
		t.Fatalf("poll completed as %+v", cqes[0])
	}
}

// EnterFor gives up after its time when nothing completes, and returns as
// soon as something does.
func TestEnterFor(t *testing.T) {
	r := newRing(t)
	a, b := socketPair(t)
	in := make([]byte, 8)
	if err := r.Recv(a, in, 0, 1); err != nil {
		t.Fatal(err)
	}
	if err := r.EnterFor(time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if r.Ready() != 0 {
		t.Fatal("a receive completed with nothing sent")
	}
	syscall.Write(b, []byte("x"))
	for r.Ready() == 0 {
		if err := r.EnterFor(time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if got := wait(t, r, 1); got[0].UserData != 1 || got[0].Res != 1 {
		t.Fatalf("got %+v", got)
	}
}

// With notifications on, work for the ring signals the eventfd, so a
// thread can wait for it elsewhere; with them off, it does not. Round
// after round, turned off and on in between: a socket's data, and a
// pipe's (an eventfd would not do here: the kernel signals from within
// another eventfd's wake-up only once, then never again).
func TestNotify(t *testing.T) {
	r := newRing(t)
	a, b := socketPair(t)
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(p[0])
	defer syscall.Close(p[1])
	efd, _, e := syscall.Syscall(syscall.SYS_EVENTFD2, 0, syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if e != 0 {
		t.Fatal(e)
	}
	defer syscall.Close(int(efd))
	if err := r.NotifyTo(int(efd)); err != nil {
		t.Fatal(err)
	}
	// The kernel queues the work, and signals, within the writer's write.
	signalled := func(ms int) bool {
		fds := []pollFd{{fd: int32(efd), events: 1}}
		ok := poll(t, fds, ms) > 0
		var n [8]byte
		syscall.Read(int(efd), n[:])
		return ok
	}
	in := make([]byte, 8)
	for round := range 3 {
		for _, w := range []struct {
			what     string
			arm      func()
			write    func()
			userData uint64
		}{
			{"socket", func() { r.Recv(a, in, 0, 1) }, func() { syscall.Write(b, []byte("x")) }, 1},
			{"pipe", func() { r.PollIn(p[0], 2) }, func() { syscall.Write(p[1], []byte("x")) }, 2},
		} {
			w.arm()
			if err := r.Flush(); err != nil {
				t.Fatal(err)
			}
			signalled(0) // what completions posted
			w.write()
			if signalled(0) {
				t.Fatalf("round %d, %s: signalled with notifications off", round, w.what)
			}
			if got := wait(t, r, 1); got[0].UserData != w.userData {
				t.Fatalf("got %+v", got)
			}
			syscall.Read(p[0], in) // the pipe stays readable until read
			w.arm()
			if err := r.Flush(); err != nil {
				t.Fatal(err)
			}
			r.SetNotify(true)
			w.write()
			if !signalled(2000) {
				t.Fatalf("round %d, %s: no signal with notifications on", round, w.what)
			}
			r.SetNotify(false)
			if got := wait(t, r, 1); got[0].UserData != w.userData {
				t.Fatalf("got %+v", got)
			}
			syscall.Read(p[0], in)
		}
	}
}

type pollFd struct {
	fd             int32
	events, revent int16
}

// poll waits up to ms milliseconds for the fds; it returns how many are
// ready.
func poll(t *testing.T, fds []pollFd, ms int) int {
	t.Helper()
	for {
		n, _, e := syscall.Syscall(syscall.SYS_POLL, uintptr(unsafe.Pointer(&fds[0])), uintptr(len(fds)), uintptr(ms))
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			t.Fatal(e)
		}
		return int(n)
	}
}
