// Package sdlisten takes the sockets systemd passes to a service it
// started through a .socket unit (sd_listen_fds(3): LISTEN_PID,
// LISTEN_FDS, descriptors from 3 on). It is go-systemd's activation
// without its TLS listeners, so that a program that takes its socket
// from systemd does not link crypto/tls for it.
package sdlisten

import (
	"net"
	"os"
	"strconv"
	"syscall"
)

// firstFD is SD_LISTEN_FDS_START.
const firstFD = 3

// Listeners returns the sockets systemd passed to this process, in order,
// and unsets the variables that passed them (a child started later does
// not take them again); an entry is nil when its descriptor is not a
// listening socket. None when the variables are absent or meant for
// another process.
func Listeners() ([]net.Listener, error) {
	defer func() {
		os.Unsetenv("LISTEN_PID")
		os.Unsetenv("LISTEN_FDS")
		os.Unsetenv("LISTEN_FDNAMES")
	}()
	pid, err := strconv.Atoi(os.Getenv("LISTEN_PID"))
	if err != nil || pid != os.Getpid() {
		return nil, nil
	}
	n, err := strconv.Atoi(os.Getenv("LISTEN_FDS"))
	if err != nil || n <= 0 {
		return nil, nil
	}
	ls := make([]net.Listener, n)
	for i := range ls {
		fd := firstFD + i
		syscall.CloseOnExec(fd)
		f := os.NewFile(uintptr(fd), "LISTEN_FD_"+strconv.Itoa(fd))
		if l, err := net.FileListener(f); err == nil {
			ls[i] = l
		}
		f.Close()
	}
	return ls, nil
}
