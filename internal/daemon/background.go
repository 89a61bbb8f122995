package daemon

import (
	"fmt"
	"io"
	"log/syslog"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// childEnv marks the background copy of a program that background
// starts; its value is the PID of the parent waiting for it, which
// passes the copy the pipe to it as descriptor readyFD.
const childEnv = "GONUT_DAEMON_CHILD"

const readyFD = 3

// IsCopy reports whether this process is the background copy of a
// daemon, which a starter waits for. What the copy starts (upsmon's monitor, a NOTIFYCMD) inherits its environment,
// and is not the copy: its parent is not the one waiting.
func IsCopy() bool { return os.Getenv(childEnv) == strconv.Itoa(os.Getppid()) }

// The copy's end of the pipe to its parent must not pass on to what the
// copy runs: a process that outlives it would hold the parent waiting for
// the pipe's end, and it is no pipe of its own. It is marked
// close-on-exec before main runs.
func init() {
	if IsCopy() {
		syscall.CloseOnExec(readyFD)
	}
}

// background starts this program again, detached, and waits until the
// copy calls ready (exit 0) or fails (exit 1), as NUT's daemons do when
// they go to the background: the shell gets its prompt back only once
// the daemon is really up. Until then the copy's standard error comes
// here, so that why it failed is seen where it was started.
func background(name string) int {
	// r, w: the ready byte; errR, errW: the copy's standard error.
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	cmd := exec.Command(self, os.Args[1:]...)
	cmd.Env = append(os.Environ(), childEnv+"="+strconv.Itoa(os.Getpid()))
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0); err == nil {
		cmd.Stdin, cmd.Stdout = devnull, devnull
	}
	cmd.Stderr = errW
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot go to the background: %v\n", name, err)
		return 1
	}
	w.Close()
	errW.Close()
	relayed := make(chan struct{})
	go func() {
		io.Copy(os.Stderr, errR)
		close(relayed)
	}()
	ready := make(chan bool, 1)
	go func() {
		var b [1]byte
		n, _ := r.Read(b[:])
		ready <- n == 1
	}()
	select {
	case ok := <-ready:
		if ok {
			return 0
		}
	case <-time.After(2 * time.Minute):
		fmt.Fprintf(os.Stderr, "%s: the background process did not become ready in time\n", name)
		return 1
	}
	// What it said before it failed (a process it started may hold the
	// pipe open: not for long).
	select {
	case <-relayed:
	case <-time.After(time.Second):
	}
	fmt.Fprintf(os.Stderr, "%s: the background process failed to start\n", name)
	return 1
}

// ready tells the waiting parent that the background copy is up. It does
// nothing in a process that background did not start.
func ready() {
	if !IsCopy() {
		return
	}
	f := os.NewFile(readyFD, "ready")
	if f == nil {
		return
	}
	// From now on no one reads the parent's pipe: standard output and
	// error go nowhere (a write to a closed pipe would end the program).
	if devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0); err == nil {
		redirect(int(devnull.Fd()), 1)
		redirect(int(devnull.Fd()), 2)
		devnull.Close()
	}
	f.Write([]byte{'G'})
	f.Close()
	os.Unsetenv(childEnv)
}

// Syslog is where a daemon logs without a terminal (the background copy,
// upssched's timer daemon); nil when there is no syslog.
func Syslog() io.Writer {
	w, err := syslog.New(syslog.LOG_DAEMON|syslog.LOG_INFO, "")
	if err != nil {
		return nil
	}
	return w
}

// logWriter is where a daemon writes its messages: syslog once it is the
// background copy (when there is a syslog) and, until it is ready, also
// standard error, which the parent shows; else w (standard error). In the
// copy it is never the *os.File of standard error itself: a program the
// copy starts with it as output (upsmon's monitor) gets a pipe, copied to
// wherever the copy's standard error goes, not the parent's pipe, which
// ends when the parent has gone (a write to it would end the program).
func logWriter(w io.Writer) io.Writer {
	if !IsCopy() {
		return w
	}
	if sw := Syslog(); sw != nil {
		return io.MultiWriter(sw, os.Stderr)
	}
	return io.MultiWriter(os.Stderr)
}
