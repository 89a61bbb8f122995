package core

import (
	"fmt"
	"io"
	"log/syslog"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// daemonChildEnv marks the background copy of a driver that daemonize
// starts; its value is the file descriptor of the pipe to the parent.
const daemonChildEnv = "GONUT_DRIVER_DAEMON"

// daemonize starts this program again, detached, and waits until it has
// done its first good update (exit 0) or has failed (exit 1), as NUT's
// drivers do when they go to the background.
func daemonize(name string) int {
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	cmd := exec.Command(self, os.Args[1:]...)
	cmd.Env = append(os.Environ(), daemonChildEnv+"=3")
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0); err == nil {
		cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, devnull
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot go to the background: %v\n", name, err)
		return 1
	}
	w.Close()
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
		fmt.Fprintf(os.Stderr, "%s: the background driver did not become ready in time\n", name)
		return 1
	}
	fmt.Fprintf(os.Stderr, "%s: the background driver failed to start (see the system log)\n", name)
	return 1
}

// daemonReady tells the waiting parent that the driver is up.
func daemonReady() {
	f := os.NewFile(3, "ready")
	if f == nil {
		return
	}
	f.Write([]byte{'G'})
	f.Close()
	os.Unsetenv(daemonChildEnv)
}

// syslogWriter is where a background driver logs.
func syslogWriter() io.Writer {
	w, err := syslog.New(syslog.LOG_DAEMON|syslog.LOG_INFO, "")
	if err != nil {
		return nil
	}
	return w
}
