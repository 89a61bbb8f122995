package core

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"gonut/drivers/sockproto"
	"gonut/internal/process"
	"gonut/nutenv"
)

// SendCommand is -c: it tells the running instance of a driver to reload,
// reload-or-exit, reload-or-error or exit. reload-or-error and exit go over
// the driver socket, as in NUT, and the exit code is the driver's answer
// (0: reloaded; 2: a setting needs a restart). The others are signals to
// the PID from -P or the PID file, or socket commands when there is no
// PID file (a driver under systemd runs without one).
func SendCommand(vars nutenv.Env, driver, ups, command string, pid int) (int, error) {
	sig := map[string]syscall.Signal{"reload": syscall.SIGHUP, "reload-or-exit": syscall.SIGUSR1}[command]
	if sig != 0 {
		if pid == 0 {
			pid, _ = process.ReadPIDFile(vars.DriverPIDFile(driver, ups))
		}
		if pid != 0 {
			if err := syscall.Kill(pid, sig); err != nil {
				return 1, fmt.Errorf("cannot signal PID %d: %w", pid, err)
			}
			return 0, nil
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	r, err := sockproto.Command(ctx, vars.DriverSocket(driver, ups), "driver."+command)
	if err != nil {
		return 1, err
	}
	return int(r), nil
}
