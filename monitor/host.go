package monitor

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"

	"gonut/config"
	"gonut/internal/journal"
)

// PowerDownMagic is what upsmon writes in POWERDOWNFLAG, and what -K and
// the shutdown hook look for before they power the UPS off.
const PowerDownMagic = "upsmon-shutdown-file"

// OSHost does to the machine what upsmon.conf says: notifications to the
// log, to logged-in users (wall) and to NOTIFYCMD, and SHUTDOWNCMD.
type OSHost struct {
	Conf *config.UpsmonConf
	Log  io.Writer // syslog, or standard error in the foreground
	// Journal, when set (in the foreground under systemd), takes the
	// notifications that go to the log, with the UPS and the event as
	// fields (UPS=, EVENT=).
	Journal *journal.Sender
	// ShutdownFunc, when set, replaces running SHUTDOWNCMD here: the
	// unprivileged child of the privilege split asks its parent.
	ShutdownFunc func() error
}

// Wall writes msg to every terminal with wall(1), without waiting for it.
func (h *OSHost) Wall(msg string) {
	wall := exec.Command("wall")
	wall.Stdin = strings.NewReader(msg + "\n")
	if wall.Start() == nil {
		go wall.Wait()
	}
}

// Notify tells an event without waiting for slow notifiers. Their
// processes start before Notify returns, so they run, in order, even when
// upsmon goes on to shut the host down and exits.
func (h *OSHost) Notify(e Event, msg string, flags config.NotifyFlags) {
	if flags == config.NotifyIgnore {
		return
	}
	if flags&config.NotifySyslog != 0 {
		if h.Journal != nil {
			h.Journal.Send(slog.LevelWarn, msg, "ups", e.UPS, "event", e.Type)
		} else {
			fmt.Fprintln(h.Log, msg)
		}
	}
	if flags&config.NotifyWall != 0 {
		h.Wall(msg)
	}
	if flags&config.NotifyExec != 0 && len(h.Conf.NotifyCmd) > 0 {
		line := strings.Join(h.Conf.NotifyCmd, " ") + ` "` + msg + `"`
		cmd := exec.Command("/bin/sh", "-c", line)
		cmd.Env = append(os.Environ(), "UPSNAME="+e.UPS, "NOTIFYTYPE="+e.Type)
		cmd.Stdout, cmd.Stderr = h.Log, h.Log
		if err := cmd.Start(); err != nil {
			fmt.Fprintf(h.Log, "NOTIFYCMD %s: %v\n", line, err)
			return
		}
		go func() {
			if err := cmd.Wait(); err != nil {
				fmt.Fprintf(h.Log, "NOTIFYCMD %s: %v\n", line, err)
			}
		}()
	}
}

// Shutdown writes POWERDOWNFLAG and runs SHUTDOWNCMD.
func (h *OSHost) Shutdown() error {
	if h.ShutdownFunc != nil {
		return h.ShutdownFunc()
	}
	return RunShutdown(h.Conf, h.Log)
}

// RunShutdown is the privileged part of upsmon: the flag file that tells
// the late shutdown hook to power the UPS off, then SHUTDOWNCMD.
func RunShutdown(c *config.UpsmonConf, log io.Writer) error {
	if c.PowerDownFlag != "" {
		if err := os.WriteFile(c.PowerDownFlag, []byte(PowerDownMagic), 0o644); err != nil {
			fmt.Fprintf(log, "Failed to create power down flag: %v\n", err)
		}
	}
	line := c.ShutdownCommandLine()
	if line == "" {
		return fmt.Errorf("no SHUTDOWNCMD in upsmon.conf")
	}
	cmd := exec.Command("/bin/sh", "-c", line)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("Unable to call shutdown command: %s: %v", line, err)
	}
	return nil
}

// PowerDownFlagStatus is upsmon -K: 1 when the flag is there and ours,
// 0 when it is not there, -1 when the file holds something else.
func PowerDownFlagStatus(path string) int {
	if path == "" {
		return 0
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	if strings.HasPrefix(string(b), PowerDownMagic) {
		return 1
	}
	return -1
}

// ClearPowerDownFlag removes a flag of ours left from the last shutdown,
// as upsmon does when it starts. A file there that is not ours is left
// alone, and POWERDOWNFLAG is turned off (conf.PowerDownFlag = ""), as
// NUT's upsmon does: the path may name a file that matters.
func ClearPowerDownFlag(conf *config.UpsmonConf, log io.Writer) {
	switch PowerDownFlagStatus(conf.PowerDownFlag) {
	case 1:
		os.Remove(conf.PowerDownFlag)
	case -1:
		fmt.Fprintf(log, "POWERDOWNFLAG (%s) does not contain the upsmon magic string - disabling!\n", conf.PowerDownFlag)
		conf.PowerDownFlag = ""
	}
}
