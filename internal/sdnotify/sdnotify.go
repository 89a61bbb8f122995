package sdnotify

import (
	"fmt"
	"os"

	"github.com/coreos/go-systemd/v22/daemon"
	"golang.org/x/sys/unix"
)

// Func sends one notification; the zero behaviour (no NOTIFY_SOCKET) is
// to do nothing.
type Func func(state string)

// New returns a notifier for this process: a no-op when systemd did not
// ask for notifications.
func New() Func {
	if os.Getenv("NOTIFY_SOCKET") == "" {
		return func(string) {}
	}
	return func(state string) { daemon.SdNotify(false, state) }
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
