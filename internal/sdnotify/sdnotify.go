package sdnotify

import (
	"fmt"
	"math"
	"net"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// Func sends one notification; the zero behaviour (no NOTIFY_SOCKET) is
// to do nothing.
type Func func(state string)

// New returns a notifier for this process: a no-op when systemd did not
// ask for notifications.
func New() Func { return Socket(os.Getenv("NOTIFY_SOCKET")) }

// Socket returns a notifier that sends each state as one datagram to the
// service manager's socket at path ("@name" for an abstract socket), as
// sd_notify(3) does; a no-op for "". A failed send is dropped: the
// service manager is the one to notice.
func Socket(path string) Func {
	if path == "" {
		return func(string) {}
	}
	addr := &net.UnixAddr{Name: path, Net: "unixgram"}
	return func(state string) {
		c, err := net.DialUnix("unixgram", nil, addr)
		if err != nil {
			return
		}
		c.Write([]byte(state))
		c.Close()
	}
}

// Watchdog is how often the service manager wants WATCHDOG=1
// (WATCHDOG_USEC, sd_watchdog_enabled(3)); 0 when it does not, or asks
// another process (WATCHDOG_PID is not pid).
func Watchdog(getenv func(string) string, pid int) time.Duration {
	usec, err := strconv.ParseUint(getenv("WATCHDOG_USEC"), 10, 63)
	if err != nil || usec == 0 || usec > math.MaxInt64/1000 {
		return 0
	}
	if p := getenv("WATCHDOG_PID"); p != "" && p != strconv.Itoa(pid) {
		return 0
	}
	return time.Duration(usec) * time.Microsecond
}

// Reloading is the notification that starts a reload: RELOADING=1 with
// the CLOCK_MONOTONIC time, as Type=notify-reload services must send it.
func Reloading() string {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return "RELOADING=1"
	}
	return fmt.Sprintf("RELOADING=1\nMONOTONIC_USEC=%d", ts.Sec*1e6+ts.Nsec/1e3)
}
