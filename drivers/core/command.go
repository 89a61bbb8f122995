package core

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
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
	code, err := socketCommand(vars.DriverSocket(driver, ups), "driver."+command, 15*time.Second)
	if err != nil {
		return 1, err
	}
	return code, nil
}

// socketCommand runs an instant command on a driver over its socket and
// returns the driver's result code.
func socketCommand(path, cmd string, timeout time.Duration) (int, error) {
	c, err := net.DialTimeout("unix", path, timeout)
	if err != nil {
		return 1, fmt.Errorf("no running driver answers on %s: %w", path, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	id := "cmd-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	req := sockproto.Request{Cmd: sockproto.InstCmd, Name: cmd, Tracking: id}
	if _, err := c.Write([]byte("NOBROADCAST\n" + req.Encode())); err != nil {
		return 1, err
	}
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		m, err := sockproto.Parse(sc.Text())
		if err != nil || m.Cmd != sockproto.Tracking || len(m.Args) != 2 || m.Args[0] != id {
			continue
		}
		code, err := strconv.Atoi(m.Args[1])
		if err != nil {
			return 1, fmt.Errorf("driver answered %q", strings.TrimSpace(sc.Text()))
		}
		c.Write([]byte("LOGOUT\n"))
		return code, nil
	}
	if err := sc.Err(); err != nil {
		return 1, fmt.Errorf("no answer from the driver: %w", err)
	}
	return 1, fmt.Errorf("the driver closed the connection without answering")
}
