package accept

import (
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// With every file descriptor taken, Accept waits (5, 10, 20 ms...) and
// reports EMFILE; once one is free it returns the waiting connection.
// Closing the listener ends it with net.ErrClosed.
func TestWaitsOutEMFILE(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	client, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	open, _ := os.ReadDir("/proc/self/fd")
	low := old
	low.Cur = uint64(len(open) + 16)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Skipf("cannot lower RLIMIT_NOFILE: %v", err)
	}
	var hogs []*os.File
	restore := func() {
		for _, f := range hogs {
			f.Close()
		}
		hogs = nil
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
	}
	defer restore()
	for {
		f, err := os.Open(os.DevNull)
		if err != nil {
			if !errors.Is(err, syscall.EMFILE) {
				t.Fatalf("filling the descriptor table: %v", err)
			}
			break
		}
		hogs = append(hogs, f)
	}

	pauses := make(chan time.Duration, 100)
	reports := make(chan error, 100)
	r := Retrier{
		Sleep:  func(d time.Duration) { pauses <- d; time.Sleep(time.Millisecond) },
		Report: func(err error) { reports <- err },
	}
	type result struct {
		c   net.Conn
		err error
	}
	got := make(chan result, 1)
	go func() { c, err := r.Accept(l); got <- result{c, err} }()
	for _, want := range []time.Duration{5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond} {
		select {
		case d := <-pauses:
			if d != want {
				t.Fatalf("paused %v, want %v", d, want)
			}
		case res := <-got:
			t.Fatalf("Accept returned with no descriptor free: %v, %v", res.c, res.err)
		case <-time.After(10 * time.Second):
			t.Fatal("Accept neither returned nor paused")
		}
	}
	if err := <-reports; !errors.Is(err, syscall.EMFILE) {
		t.Fatalf("reported %v, want EMFILE", err)
	}
	hogs[len(hogs)-1].Close()
	hogs = hogs[:len(hogs)-1]
	res := <-got
	restore()
	if res.err != nil {
		t.Fatalf("Accept with a descriptor free: %v", res.err)
	}
	defer res.c.Close()
	if res.c.RemoteAddr().String() != client.LocalAddr().String() {
		t.Fatalf("accepted %v, want the waiting %v", res.c.RemoteAddr(), client.LocalAddr())
	}

	l.Close()
	if _, err := r.Accept(l); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Accept on a closed listener: %v", err)
	}
}
