package upslog

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gonut/config"
	"gonut/internal/cli"
	"gonut/internal/daemon"
	"gonut/internal/getopt"
	"gonut/internal/process"
	"gonut/internal/version"
	"gonut/nutclient"
	"gonut/nutenv"
	"gonut/upsname"
)

const help = `UPS status logger.

usage: %[1]s [OPTIONS]

  -f <format>	- Log format.  See below for details.
		- Use -f "<format>" so your shell doesn't break it up.
  -i <interval>	- Time between updates, in seconds
  -l <logfile>	- Log file name, or - for stdout (foreground by default)
  -F		- stay foregrounded even if logging into a file
  -B		- stay backgrounded even if logging to stdout
  -p <pidbase>  - Base name for PID file (defaults to "%[1]s")
  -s <ups>	- Monitor UPS <ups> - <upsname>@<host>[:<port>]
        	- Example: -s myups@server
  -u <user>	- Switch to <user> if started as root

Some valid format string escapes:
	%%%% insert a single %%
	%%TIME format%% insert the time with strftime formatting
	%%HOST%% insert the local hostname
	%%UPSHOST%% insert the host of the ups being monitored
	%%PID%% insert the pid of upslog
	%%VAR varname%% insert the value of ups variable varname

format string defaults to:
%[2]s

See the upslog(8) man page for more information.
`

// Options are upslog's command line.
type Options struct {
	daemon.Flags // -u, -F, -B

	UPS, LogFile, Format, PIDBase string
	Interval                      int
}

// Main runs upslog; it returns the exit code.
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	prog, stdout, stderr := cli.Name(args, "upslog"), std.Out, std.Err
	fmt.Fprintf(stdout, "Network UPS Tools %s %s\n", prog, version.NUT)
	o := Options{Format: DefaultFormat, Interval: 30, PIDBase: prog}
	// NUT's upslog complains of an unknown option and reads on.
	opts, rest, errs := getopt.ParseAll(cli.Args(args), "+hs:l:i:f:u:Vp:FB")
	for _, err := range errs {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
	}
	for _, op := range opts {
		if ok, _ := o.Take(op.Name, op.Value); ok {
			continue
		}
		switch op.Name {
		case 'h':
			fmt.Fprintf(stdout, help, prog, DefaultFormat)
			return 0
		case 's':
			o.UPS = op.Value
		case 'l':
			o.LogFile = op.Value
		case 'i':
			o.Interval = config.Atoi(op.Value)
		case 'f':
			o.Format = op.Value
		case 'V':
			return 0
		case 'p':
			o.PIDBase = op.Value
		}
	}
	// The old way: <ups> <logfile> <interval> [<format>...]
	switch {
	case len(rest) == 1 || len(rest) == 2:
		fmt.Fprintf(stdout, help, prog, DefaultFormat)
		return 0
	case len(rest) >= 3:
		o.UPS, o.LogFile, o.Interval = rest[0], rest[1], config.Atoi(rest[2])
		if len(rest) >= 4 {
			o.Format = strings.Join(rest[3:], " ") + " "
		}
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, format+"\n", a...)
		return 1
	}
	if o.UPS == "" {
		return fail("No UPS defined for monitoring - use -s <system>")
	}
	if o.LogFile == "" {
		return fail("No filename defined for logging - use -l <file>")
	}
	fmt.Fprintf(stdout, "logging status of %s to %s (%ds intervals)\n", o.UPS, o.LogFile, o.Interval)
	name, err := upsname.Parse(o.UPS)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return fail("Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]\n")
	}
	// In the foreground by default when it logs to standard output.
	d := daemon.New(prog, o.InForeground(o.LogFile == "-"), stderr)
	// As NUT's, a word at once if upsd is not there (it keeps trying);
	// the connection is the logger's first.
	var first *nutclient.Client
	if !daemon.IsCopy() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if first, err = nutclient.Dial(ctx, name.Addr(), nutclient.Options{Timeout: requestTimeout}); err != nil {
			fmt.Fprintf(stderr, "Warning: initial connect failed: Connection failure: %s\n", nutclient.Reason(err))
		}
		cancel()
	}
	// The log is opened as the user who started upslog, before it goes
	// to the background, as NUT's upslog does: a log it cannot open is
	// told at once.
	var out io.Writer = stdout
	var file *os.File
	if o.LogFile != "-" {
		if file, err = openLog(o.LogFile); err != nil {
			return fail("could not open logfile %s: %s", o.LogFile, nutclient.Strerror(err))
		}
		out = file
	}
	if d.Starter() {
		file.Close()
		if first != nil {
			first.Close()
		}
		return d.Detach()
	}
	defer d.Close()
	// Messages go out plain, as NUT's upslogx writes them; to syslog once
	// in the background.
	logf := func(format string, a ...any) { fmt.Fprintf(d.Log, format+"\n", a...) }

	pidFile := o.PIDBase
	if !filepath.IsAbs(pidFile) {
		pidFile = filepath.Join(env.AltPIDPath(), pidFile+".pid")
	}
	if err := d.WritePIDFile(pidFile); err != nil {
		logf("cannot write PID file %s: %v", pidFile, err)
	}
	// The log keeps its owner: upslog, like NUT's, only holds it open.
	id := process.Identity{User: o.User}
	if err := process.BecomeUser(id, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		return fail("%v", err)
	}

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGUSR1)
	defer signal.Stop(sigs)
	l := &Logger{
		Name: name, Raw: o.UPS, Format: Compile(o.Format), Interval: time.Duration(max(o.Interval, 1)) * time.Second,
		Out: out, Now: time.Now, conn: first,
	}
	l.Host, _ = os.Hostname()
	d.Ready("")
	sig := l.Run(sigs, func() (io.Writer, error) {
		logf("Signal %d: reopening log file", syscall.SIGHUP)
		if file == nil {
			logf("logging to stdout")
			return stdout, nil
		}
		file.Close()
		file, err = openLog(o.LogFile)
		if err != nil {
			logf("could not reopen logfile %s: %s", o.LogFile, nutclient.Strerror(err))
			return nil, err
		}
		return file, nil
	})
	if sig == nil {
		return 1
	}
	logf("Signal %d: exiting", sig.(syscall.Signal))
	if file != nil {
		file.Close()
	}
	return 0
}

// Logger writes a line per interval.
type Logger struct {
	Name     upsname.Name
	Raw      string // the UPS as the user wrote it
	Host     string
	Format   Format
	Interval time.Duration
	Out      io.Writer
	Now      func() time.Time

	conn *nutclient.Client
}

// Run logs until a signal ends it. As in NUT's upslog, any signal cuts
// the wait short and a line is logged: SIGHUP first reopens the log
// (through reopen), SIGUSR1 only logs, the others log a last line and end
// the run. It returns the signal that ended it, or nil when the log could
// not be reopened.
func (l *Logger) Run(sigs <-chan os.Signal, reopen func() (io.Writer, error)) os.Signal {
	defer l.disconnect()
	for {
		l.logOnce()
		timer := time.NewTimer(l.Interval)
		select {
		case <-timer.C:
		case s := <-sigs:
			timer.Stop()
			switch s {
			case syscall.SIGHUP:
				w, err := reopen()
				if err != nil {
					return nil
				}
				l.Out = w
			case syscall.SIGUSR1:
			default:
				l.logOnce()
				return s
			}
		}
	}
}

func (l *Logger) logOnce() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if l.conn == nil {
		if c, err := nutclient.Dial(ctx, l.Name.Addr(), nutclient.Options{Timeout: requestTimeout}); err == nil {
			l.conn = c
		}
	}
	c := &Context{Now: l.Now(), Host: l.Host, UPSHost: l.Raw, PID: os.Getpid(), Get: func(name string) (string, bool) {
		if l.conn == nil {
			return "", false
		}
		v, err := l.conn.GetVar(ctx, l.Name.UPS, name)
		if err != nil {
			if _, isErr := err.(*nutclient.Error); !isErr {
				l.disconnect()
			}
			return "", false
		}
		return v, true
	}}
	fmt.Fprintln(l.Out, l.Format.Line(c))
	// As NUT: no connection is kept open between lines far apart.
	if l.Interval > 30*time.Second {
		l.disconnect()
	}
}

func (l *Logger) disconnect() {
	if l.conn != nil {
		l.conn.Close()
		l.conn = nil
	}
}

// requestTimeout bounds each of upslog's requests to upsd.
const requestTimeout = 5 * time.Second

func openLog(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
}
