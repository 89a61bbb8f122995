package monitor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gonut/config"
	"gonut/internal/cli"
	"gonut/internal/daemon"
	"gonut/internal/getopt"
	"gonut/internal/process"
	"gonut/internal/version"
	"gonut/nutenv"
)

// usage is NUT 2.8.0's banner and help; the usage line names the program
// as it was run (argv[0], whole), as NUT's does.
const usage = `Network UPS Tools upsmon %s (gonut)
Monitors UPS servers and may initiate shutdown if necessary.

usage: %s [OPTIONS]

  -c <cmd>	send command to running process
		commands:
		 - fsd: shutdown all primary-mode UPSes (use with caution)
		 - reload: reread configuration
		 - stop: stop monitoring and exit
  -P <pid>	send the signal above to specified PID (bypassing PID file)
  -D		raise debugging level (and stay foreground by default)
  -F		stay foregrounded even if no debugging is enabled
  -B		stay backgrounded even if debugging is bumped
  -h		display this help
  -K		checks POWERDOWNFLAG, sets exit code to 0 if set
  -p		always run privileged (disable privileged parent)
  -u <user>	run child as user <user> (ignored when using -p)
  -4		IPv4 only
  -6		IPv6 only
`

// splitEnv marks the unprivileged child of the privilege split; its value
// is the descriptor of the pipe on which it asks its parent to shut down.
const splitEnv = "GONUT_UPSMON_CHILD"

// options are upsmon's command line.
type options struct {
	daemon.Flags
	check      bool // -K
	privileged bool // -p
}

// Main runs upsmon; it returns the exit code.
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	stdout, stderr := std.Out, std.Err
	var o options
	prog := cli.Called(args, "upsmon")
	opts, _, err := getopt.Parse(cli.Args(args), "+DFBhic:P:f:pu:VK46")
	if err != nil {
		fmt.Fprintf(stderr, "upsmon: %v\n", err)
		fmt.Fprintf(stdout, usage, version.NUT, prog)
		return 1
	}
	for _, op := range opts {
		if ok, err := o.Take(op.Name, op.Value); ok {
			if err != nil {
				fmt.Fprintf(stderr, "upsmon: %v\n", err)
				return 1
			}
			continue
		}
		switch op.Name {
		case 'h':
			fmt.Fprintf(stdout, usage, version.NUT, prog)
			return 0
		case 'V':
			fmt.Fprintf(stdout, "Network UPS Tools upsmon %s (gonut)\n", version.NUT)
			return 0
		case 'K':
			o.check = true
		case 'p':
			o.privileged = true
		}
	}
	confFile := env.ConfFile("upsmon.conf")
	pidFile := env.AltPIDPath() + "/upsmon.pid"
	if o.Command != "" {
		return o.SignalRunning("upsmon", pidFile, map[string]syscall.Signal{"fsd": syscall.SIGUSR1, "reload": syscall.SIGHUP, "stop": syscall.SIGTERM}, stderr)
	}
	if o.check {
		// Late in a shutdown, only POWERDOWNFLAG matters: a file upsmon
		// would refuse to run on still names it (NUT's -K reads it so).
		conf, _ := config.LoadUpsmonConf(confFile)
		if conf == nil {
			fmt.Fprintf(stderr, "upsmon: cannot read %s\n", confFile)
			return 1
		}
		switch PowerDownFlagStatus(conf.PowerDownFlag) {
		case 1:
			fmt.Fprintln(stderr, "Power down flag is set")
			return 0
		case -1:
			fmt.Fprintf(stderr, "POWERDOWNFLAG (%s) does not contain the upsmon magic string\n", conf.PowerDownFlag)
			return 1
		}
		fmt.Fprintln(stderr, "Power down flag is not set")
		return 1
	}
	conf := loadConf(confFile, stderr)
	if conf == nil {
		fmt.Fprintf(stderr, "upsmon: cannot use %s\n", confFile)
		return 1
	}

	if fd := env(splitEnv); fd != "" {
		return runChild(conf, confFile, fd, o, stderr)
	}
	if _, ok := process.Running(pidFile, "upsmon"); ok {
		fmt.Fprintln(stderr, "Fatal error: A previous upsmon instance is already running!\nEither stop the previous instance first, or use the 'reload' command.")
		return 1
	}
	d := daemon.New("upsmon", o.InForeground(o.Debug > 0), stderr)
	if d.Starter() {
		return d.Detach()
	}
	defer d.Close()
	d.WritePIDFile(pidFile)
	ClearPowerDownFlag(conf, d.Log)
	if os.Geteuid() == 0 && !o.privileged {
		return runParent(conf, confFile, cli.Args(args), d)
	}
	if os.Geteuid() == 0 {
		fmt.Fprintln(d.Log, "Warning: running as one big root process by request (upsmon -p)")
	}
	return monitorLoop(conf, confFile, nil, d, o)
}

// loadConf reads upsmon.conf, telling its problems; nil when it cannot be
// used. As NUT's upsmon, it runs on a file with errors (a line in error
// is left out, or its setting keeps the default) and refuses only what
// NUT's refuses: a host is better watched with a default message than
// not at all.
func loadConf(file string, log io.Writer) *config.UpsmonConf {
	c, errs := config.LoadUpsmonConf(file)
	for _, e := range errs {
		fmt.Fprintln(log, e)
	}
	if c == nil || config.Unusable(errs) != nil {
		return nil
	}
	return c
}

// monitorLoop is upsmon's life: poll, tell, and shut down when it must.
func monitorLoop(conf *config.UpsmonConf, confFile string, shutdown func() error, d *daemon.Daemon, o options) int {
	logw := d.Log
	log := d.Logger(o.Level(slog.LevelWarn))
	for _, m := range conf.Monitors {
		role := "secondary"
		if m.IsPrimary() {
			role = "primary"
		}
		fmt.Fprintf(logw, "UPS: %s (%s) (power value %d)\n", m.System, role, m.PowerValue)
	}
	host := &OSHost{Conf: conf, Log: logw, ShutdownFunc: shutdown, Journal: d.Journal()}
	m := New(conf, NewDialer(conf), realClock{}, host, log)
	ready := false
	parent, toldNoParent := os.Getppid(), false
	m.Polled = func(ss []*Supply) {
		// The privileged parent gone: no shutdown is possible any more.
		if shutdown != nil && !toldNoParent && os.Getppid() != parent {
			toldNoParent = true
			m.notify(Event{Type: "NOPARENT"})
		}
		var parts []string
		for _, s := range ss {
			state := s.Status()
			if !s.Talking() {
				state = "no contact"
			}
			parts = append(parts, s.Mon.System+": "+state)
		}
		status := strings.Join(parts, "; ")
		if ready {
			d.Status(status)
			return
		}
		ready = true
		d.Ready(status)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGTERM, syscall.SIGINT)
	cmds := make(chan Command, 1)
	go func() {
		for s := range sigs {
			switch s {
			case syscall.SIGHUP:
				cmds <- CmdReload
			case syscall.SIGUSR1:
				cmds <- CmdFSD
			default:
				d.Stopping()
				stop()
				return
			}
		}
	}()
	reload := func() *config.UpsmonConf {
		d.Reloading()
		defer d.Ready("")
		c := loadConf(confFile, logw)
		if c == nil {
			fmt.Fprintln(logw, "reload failed; keeping the running configuration")
			return nil
		}
		host.Conf = c
		m.Dial = NewDialer(c)
		return c
	}
	WatchSleep(ctx, cmds)
	if err := m.Run(ctx, cmds, reload); err != nil {
		fmt.Fprintln(logw, err)
		return 1
	}
	return 0
}

// runParent is the privileged half of upsmon: it starts the monitor as an
// unprivileged child and does nothing but wait for one byte from it, the
// request to shut down. It never reads the network. It ends when the
// child does: a process the child started and left running (a NOTIFYCMD's
// leftovers) holds neither the pipe nor the parent.
func runParent(conf *config.UpsmonConf, confFile string, args []string, d *daemon.Daemon) int {
	logw := d.Log
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintln(logw, err)
		return 1
	}
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	cmd := exec.Command(self, append([]string{"-F"}, args...)...)
	cmd.Env = append(os.Environ(), splitEnv+"=3")
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stdout, cmd.Stderr = logw, logw
	// When logw is no file, the child writes to a pipe copied here, which
	// what the child runs inherits as its output: once the child has
	// exited, what is still open of it is not waited for.
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(logw, "upsmon: cannot start the monitoring child: %v\n", err)
		return 1
	}
	w.Close()
	d.Up() // the monitor tells the service manager once it has polled
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	asked := make(chan int, 1) // the byte read, or -1 at the end of the pipe
	go func() {
		var b [1]byte
		if n, _ := r.Read(b[:]); n == 1 {
			asked <- int(b[0])
			return
		}
		asked <- -1
	}()
	var b int
	select {
	case b = <-asked:
	case err := <-exited:
		// A request the child wrote before it exited is in the pipe
		// already; the deadline only bounds a pipe someone else holds.
		r.SetReadDeadline(time.Now().Add(time.Second))
		if b = <-asked; b != 1 {
			return exitCode(err)
		}
		exited <- err
	}
	switch b {
	case 1:
		// Re-read SHUTDOWNCMD and POWERDOWNFLAG: a reload may have changed them.
		if c := loadConf(confFile, io.Discard); c != nil {
			ClearPowerDownFlag(c, logw) // a file there that is not ours is never written
			conf = c
		}
		if err := RunShutdown(conf, logw); err != nil {
			fmt.Fprintln(logw, err)
		}
		<-exited
		return 0
	case -1:
		return exitCode(<-exited)
	}
	fmt.Fprintf(logw, "upsmon parent: got bogus pipe command %d; stopping\n", b)
	cmd.Process.Signal(syscall.SIGTERM)
	<-exited
	return 1
}

// exitCode is the exit code of a process that exec.Cmd.Wait returned err for.
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode()
	case err == nil, errors.Is(err, exec.ErrWaitDelay):
		return 0
	}
	return 1
}

// runChild is the unprivileged half: it becomes RUN_AS_USER (or -u, or
// nut) and monitors; to shut down it writes one byte to its parent.
func runChild(conf *config.UpsmonConf, confFile, fd string, o options, stderr io.Writer) int {
	n, err := strconv.Atoi(fd)
	if err != nil || n < 3 {
		fmt.Fprintf(stderr, "upsmon: %s=%q: expected the descriptor of the pipe to the parent\n", splitEnv, fd)
		return 1
	}
	// Nothing the monitor runs (NOTIFYCMD, wall) may hold the pipe, nor
	// take itself for the monitor: the parent learns from the end of the
	// pipe that the monitor is gone, as NUT's does.
	syscall.CloseOnExec(n)
	os.Unsetenv(splitEnv)
	pipe := os.NewFile(uintptr(n), "upsmon-parent")
	user := o.User
	if user == "" {
		user = conf.RunAsUser
	}
	// In the foreground of its parent, which started it with -F.
	d := daemon.New("upsmon", true, stderr)
	if err := process.BecomeUser(process.Identity{User: user}, d.Logger(slog.LevelInfo)); err != nil {
		fmt.Fprintf(stderr, "upsmon: %v\n", err)
		return 1
	}
	ask := func() error {
		if _, err := pipe.Write([]byte{1}); err != nil {
			return fmt.Errorf("Unable to call parent pipe for shutdown: %v", err)
		}
		return nil
	}
	return monitorLoop(conf, confFile, ask, d, o)
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
