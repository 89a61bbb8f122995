package uring

import (
	"errors"
	"runtime"
	"syscall"
	"testing"
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

// A read of an eventfd waits until it is written to.
func TestReadWaitsForEventfd(t *testing.T) {
	r := newRing(t)
	fd, _, e := syscall.Syscall(syscall.SYS_EVENTFD2, 0, syscall.O_CLOEXEC, 0)
	if e != 0 {
		t.Fatal(e)
	}
	defer syscall.Close(int(fd))
	var buf [8]byte
	r.Read(int(fd), buf[:], 7)
	if err := r.Enter(false); err != nil {
		t.Fatal(err)
	}
	if r.Ready() != 0 {
		t.Fatal("the read completed before anything was written")
	}
	syscall.Write(int(fd), []byte{1, 0, 0, 0, 0, 0, 0, 0})
	if cqes := wait(t, r, 1); cqes[0].UserData != 7 || cqes[0].Res != 8 || buf[0] != 1 {
		t.Fatalf("read completed as %+v with %v", cqes[0], buf)
	}
}
