package upsdrvctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gonut/config"
	"gonut/drivers/core"
	"gonut/drivers/sockproto"
	"gonut/internal/daemon"
	"gonut/internal/process"
	"gonut/nutenv"
	"gonut/words"
)

// Options are upsdrvctl's command-line options.
type Options struct {
	// The drivers' own: -u, -r, -D, and -F, -FF or -B, passed on to
	// them; -c, the command for the running drivers.
	daemon.Flags
	Test      bool // -t: say what would be done
	PassDebug bool // -d: give the drivers our debug level
}

// Ctl runs one upsdrvctl command.
type Ctl struct {
	Opts   Options
	Vars   nutenv.Env
	Out    io.Writer // what the user asked for (lists, status)
	Log    io.Writer // progress and errors
	conf   *config.UPSConf
	sleep  func(time.Duration)
	failed int
}

// New reads ups.conf.
func New(opts Options, vars nutenv.Env, out, log io.Writer) (*Ctl, error) {
	path := vars.ConfFile("ups.conf")
	conf, errs := config.LoadAllUPSConf(vars)
	if conf == nil {
		return nil, fmt.Errorf("can't read %s: %v", path, errors.Join(errs...))
	}
	for _, e := range errs {
		fmt.Fprintln(log, e)
	}
	if len(conf.UPS) == 0 {
		return nil, fmt.Errorf("%s defines no UPS sections", path)
	}
	return &Ctl{Opts: opts, Vars: vars, Out: out, Log: log, conf: conf, sleep: time.Sleep}, nil
}

// selected returns the UPS sections a command applies to: all, or one.
func (c *Ctl) selected(name string) ([]*config.UPS, error) {
	if name == "" {
		return c.conf.UPS, nil
	}
	if u := c.conf.Find(name); u != nil {
		return []*config.UPS{u}, nil
	}
	return nil, fmt.Errorf("UPS %s not found in ups.conf", name)
}

func (c *Ctl) driverPath(u *config.UPS) string {
	return filepath.Join(c.conf.DriverPath(), u.Driver)
}

func (c *Ctl) user() string {
	if c.Opts.User != "" {
		return c.Opts.User
	}
	v, _ := c.conf.Global("user")
	return v
}

func (c *Ctl) fail(format string, args ...any) {
	c.failed++
	fmt.Fprintf(c.Log, format+"\n", args...)
}

// driverArgs is the command line of a driver for one UPS.
func (c *Ctl) driverArgs(u *config.UPS, extra ...string) []string {
	args := []string{"-a", u.Name}
	if user := c.user(); user != "" {
		args = append(args, "-u", user)
	}
	chroot := c.Opts.Chroot
	if chroot == "" {
		chroot, _ = c.conf.Global("chroot")
	}
	if chroot != "" {
		args = append(args, "-r", chroot)
	}
	if c.Opts.PassDebug {
		for i := 0; i < c.Opts.Debug; i++ {
			args = append(args, "-D")
		}
	}
	args = append(args, c.Opts.ModeArgs()...)
	return append(args, extra...)
}

// Start starts the drivers, each within maxstartdelay, trying maxretry
// times retrydelay apart. A driver that fails does not stop the others.
// With -F, the drivers stay children of upsdrvctl, which waits for them.
func (c *Ctl) Start(ctx context.Context, name string) error {
	ups, err := c.selected(name)
	if err != nil {
		return err
	}
	var children []*exec.Cmd
	for _, u := range ups {
		fmt.Fprintf(c.Log, "Starting UPS: %s\n", u.Name)
		bin := c.driverPath(u)
		args := c.driverArgs(u)
		if c.Opts.Test {
			fmt.Fprintf(c.Log, "exec: %s %s\n", bin, strings.Join(args, " "))
			continue
		}
		if _, err := os.Stat(bin); err != nil {
			c.fail("Can't start %s: %v", bin, errors.Unwrap(err))
			continue
		}
		foreground := c.Opts.InForeground(false)
		if foreground && name != "" {
			// One UPS in the foreground: become its driver, so that a
			// service manager sees the driver itself (its PID, its
			// sd_notify) as nut-driver@'s main process.
			err := syscall.Exec(bin, append([]string{bin}, args...), os.Environ())
			c.fail("Can't start %s: %v", bin, err)
			continue
		}
		if foreground {
			cmd := exec.CommandContext(ctx, bin, args...)
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			if err := cmd.Start(); err != nil {
				c.fail("Can't start %s: %v", bin, err)
				continue
			}
			children = append(children, cmd)
			continue
		}
		c.startOne(ctx, u, bin, args)
	}
	for _, cmd := range children {
		if err := cmd.Wait(); err != nil {
			c.fail("Driver %s ended: %v", cmd.Path, err)
		}
	}
	return c.result()
}

// How waitDriver's wait ended.
const (
	ended = iota
	timedOut
	interrupted
)

// waitDriver waits for a started driver process to end, for at most delay
// seconds (maxstartdelay), or until ctx ends; then it kills it.
func waitDriver(ctx context.Context, cmd *exec.Cmd, delay int) (int, error) {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return ended, err
	case <-time.After(time.Duration(delay) * time.Second):
		cmd.Process.Kill()
		<-done
		return timedOut, nil
	case <-ctx.Done():
		cmd.Process.Kill()
		<-done
		return interrupted, nil
	}
}

// maxStartDelay is the UPS's maxstartdelay, else the global one.
func (c *Ctl) maxStartDelay(u *config.UPS) int {
	if u.MaxStartDelay > 0 {
		return u.MaxStartDelay
	}
	return c.conf.MaxStartDelay()
}

func (c *Ctl) startOne(ctx context.Context, u *config.UPS, bin string, args []string) {
	delay := c.maxStartDelay(u)
	tries := c.conf.MaxRetry()
	if tries < 1 {
		tries = 1
	}
	nowait := c.conf.GlobalFlag("nowait") && c.Vars("NUT_IGNORE_NOWAIT") == ""
	for try := 1; try <= tries; try++ {
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = c.Log, c.Log
		if err := cmd.Start(); err != nil {
			c.fail("Can't start %s: %v", bin, err)
			return
		}
		if nowait {
			go cmd.Wait()
			return
		}
		switch how, err := waitDriver(ctx, cmd, delay); how {
		case ended:
			if err == nil {
				return
			}
			fmt.Fprintf(c.Log, "Driver failed to start (exit status=%s)\n", exitStatus(err))
		case timedOut:
			fmt.Fprintf(c.Log, "Startup timer elapsed (maxstartdelay %d s), driver killed\n", delay)
		case interrupted:
			c.fail("Start of %s interrupted", u.Name)
			return
		}
		if try < tries {
			c.sleep(time.Duration(c.conf.RetryDelay()) * time.Second)
		}
	}
	c.fail("Failed to start driver for UPS %s after %d attempt(s)", u.Name, tries)
}

func exitStatus(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return strconv.Itoa(ee.ExitCode())
	}
	return err.Error()
}

func (c *Ctl) result() error {
	if c.failed > 0 {
		return fmt.Errorf("%d driver(s) failed", c.failed)
	}
	return nil
}

// Stop stops the drivers: by their PID file, or over their socket for a
// driver that keeps none (one under systemd).
func (c *Ctl) Stop(name string) error {
	ups, err := c.selected(name)
	if err != nil {
		return err
	}
	for _, u := range ups {
		fmt.Fprintf(c.Log, "Stopping UPS: %s\n", u.Name)
		pidFile := c.Vars.DriverPIDFile(u.Driver, u.Name)
		if c.Opts.Test {
			fmt.Fprintf(c.Log, "kill: SIGTERM to the PID in %s\n", pidFile)
			continue
		}
		if pid, err := process.ReadPIDFile(pidFile); err == nil {
			if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
				c.fail("Can't stop UPS %s (PID %d): %v", u.Name, pid, err)
				continue
			}
			if !waitGone(pid, 10*time.Second, c.sleep) {
				c.fail("UPS %s: driver (PID %d) did not stop", u.Name, pid)
			}
			continue
		}
		if _, err := core.SendCommand(c.Vars, u.Driver, u.Name, "exit", 0); err != nil {
			c.fail("Can't stop UPS %s: no PID file and %v", u.Name, err)
		}
	}
	return c.result()
}

func waitGone(pid int, limit time.Duration, sleep func(time.Duration)) bool {
	for waited := time.Duration(0); waited < limit; waited += 100 * time.Millisecond {
		if syscall.Kill(pid, 0) != nil {
			return true
		}
		sleep(100 * time.Millisecond)
	}
	return syscall.Kill(pid, 0) != nil
}

// Shutdown runs each driver's -k, in sdorder (lowest first; negative:
// never, unless the UPS is named), as the last step of a system shutdown.
// A driver gets maxstartdelay to do it, as in NUT, so that one that hangs
// does not keep the next UPS from being shut down.
func (c *Ctl) Shutdown(name string) error {
	ups, err := c.selected(name)
	if err != nil {
		return err
	}
	order := make([]*config.UPS, 0, len(ups))
	for _, u := range ups {
		if u.SDOrder >= 0 || name != "" {
			order = append(order, u)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].SDOrder < order[j].SDOrder })
	for _, u := range order {
		fmt.Fprintf(c.Log, "Shutdown UPS: %s\n", u.Name)
		bin, args := c.driverPath(u), append(c.driverArgsNoMode(u), "-k")
		if c.Opts.Test {
			fmt.Fprintf(c.Log, "exec: %s %s\n", bin, strings.Join(args, " "))
			continue
		}
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = c.Log, c.Log
		if err := cmd.Start(); err != nil {
			c.fail("Shutdown failed for UPS %s: %v", u.Name, err)
			continue
		}
		delay := c.maxStartDelay(u)
		switch how, err := waitDriver(context.Background(), cmd, delay); {
		case how == timedOut:
			c.fail("Shutdown of UPS %s: timer elapsed (maxstartdelay %d s), driver killed", u.Name, delay)
		case err != nil:
			c.fail("Shutdown failed for UPS %s: %v", u.Name, err)
		}
	}
	return c.result()
}

// driverArgsNoMode is the command line without -F/-B (for -k and -c).
func (c *Ctl) driverArgsNoMode(u *config.UPS) []string {
	saved := c.Opts
	c.Opts.Mode = daemon.Unsaid
	defer func() { c.Opts = saved }()
	return c.driverArgs(u)
}

// Command passes -c <command> to each running driver.
func (c *Ctl) Command(command, name string) error {
	ups, err := c.selected(name)
	if err != nil {
		return err
	}
	for _, u := range ups {
		bin, args := c.driverPath(u), []string{"-a", u.Name, "-c", command}
		if c.Opts.Test {
			fmt.Fprintf(c.Log, "exec: %s %s\n", bin, strings.Join(args, " "))
			continue
		}
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = c.Log, c.Log
		if err := cmd.Run(); err != nil {
			c.fail("Command %s for UPS %s failed: %v", command, u.Name, err)
		}
	}
	return c.result()
}

// List prints the UPS names, one a line.
func (c *Ctl) List(name string) error {
	ups, err := c.selected(name)
	if err != nil {
		return err
	}
	for _, u := range ups {
		fmt.Fprintln(c.Out, u.Name)
	}
	return nil
}

// Status prints a table of the drivers: their PID files, whether they
// run, and what their sockets answer.
func (c *Ctl) Status(name string) error {
	ups, err := c.selected(name)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Out, "%-16s %12s %-10s %-8s %-15s %-8s %s\n", "UPSNAME", "UPSDRV", "RUNNING", "PF_PID", "S_RESPONSIVE", "S_PID", "S_STATUS")
	for _, u := range ups {
		running, pfPID := "N/A", "N/A"
		if pid, err := process.ReadPIDFile(c.Vars.DriverPIDFile(u.Driver, u.Name)); err == nil {
			pfPID = strconv.Itoa(pid)
			running = "STOPPED"
			if syscall.Kill(pid, 0) == nil {
				running = "RUNNING"
			}
		}
		resp, spid, status := probe(c.Vars.DriverSocket(u.Driver, u.Name))
		if resp == "RESPONSIVE" && running == "N/A" {
			running = "RUNNING"
		}
		fmt.Fprintf(c.Out, "%-16s %12s %-10s %-8s %-15s %-8s %s\n", u.Name, u.Driver, running, pfPID, resp, spid, status)
	}
	return nil
}

// probe asks a driver socket for PONG, its PID and ups.status (as the
// driver quotes it, which NUT's upsdrvctl prints).
func probe(path string) (resp, pid, status string) {
	resp, pid, status = "NOT_RESPONSIVE", "N/A", ""
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	c, err := sockproto.Dial(ctx, path)
	cancel()
	if err != nil {
		return
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	c.Send(sockproto.Request{Cmd: sockproto.NoBroadcast}, sockproto.Request{Cmd: sockproto.Ping},
		sockproto.Request{Cmd: sockproto.GetPID}, sockproto.Request{Cmd: sockproto.DumpStatus})
	c.Receive(func(error) {}, func(m sockproto.Message) bool {
		switch {
		case m.Cmd == sockproto.Pong:
			resp = "RESPONSIVE"
		case m.Cmd == sockproto.PID && len(m.Args) > 0:
			pid = m.Args[0]
		case m.Cmd == sockproto.SetInfo && len(m.Args) > 1 && m.Args[0] == "ups.status":
			status = words.Quote(m.Args[1])
		case m.Cmd == sockproto.DumpDone:
			c.Send(sockproto.Request{Cmd: sockproto.Logout})
			return false
		}
		return true
	})
	return
}
