package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"gonut/internal/sdlisten"
	"gonut/internal/sdnotify"

	"gonut/config"
	"gonut/internal/cli"
	"gonut/internal/daemon"
	"gonut/internal/process"
	"gonut/internal/version"
	"gonut/nutenv"
)

// Version is gonut's drivers', shown as driver.version and in banners.
const Version = version.Gonut

// Main is a driver program's main: it parses the command line, then
// prints help or version, signals a running instance (-c), shuts the UPS
// down (-k), or runs the driver in the foreground or as a daemon. It
// returns the exit code.
func Main(d Driver, argv []string, vars nutenv.Env, std cli.Stdio) int {
	info := d.Info()
	args, err := ParseArgs(cli.Args(argv))
	if err != nil {
		fmt.Fprintf(std.Err, "%s: %v\n", info.Name, err)
		return 1
	}
	switch {
	case args.Help:
		printHelp(std.Out, info)
		return 0
	case args.Version:
		fmt.Fprintln(std.Out, banner(info))
		return 0
	case args.List:
		fmt.Fprintln(std.Out, banner(info))
		printOptions(std.Out, info)
		return 0
	}
	if args.UPS == "" {
		fmt.Fprintf(std.Err, "%s: no UPS given: use -a <section of ups.conf> (or -s <name> with -x settings)\n", info.Name)
		return 1
	}
	if args.Command != "" {
		code, err := SendCommand(vars, info.Name, args.UPS, args.Command, args.PID)
		if err != nil {
			fmt.Fprintf(std.Err, "%s: %v\n", info.Name, err)
		}
		return code
	}

	dm := daemon.New(info.Name, args.InForeground(args.Debug > 0) || args.DumpAfter > 0 || args.Kill, std.Err)
	if dm.Starter() {
		return dm.Detach()
	}
	defer dm.Close()
	log := dm.Logger(args.Level(slog.LevelInfo), "ups", args.UPS)
	if !args.Kill && args.DumpAfter == 0 {
		fmt.Fprintln(std.Err, banner(info))
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGTERM, syscall.SIGINT)
	env := Env{Vars: vars, Stdout: std.Out, Log: log, Signals: sigs, Notify: dm.Notify, Ready: dm.Up,
		Watchdog: sdnotify.Watchdog(vars, os.Getpid())}
	if ls, err := sdlisten.Listeners(); err == nil && len(ls) == 1 && ls[0] != nil {
		env.Listener = ls[0]
	} else if err == nil && len(ls) > 1 {
		log.Warn("more than one socket inherited; using the first", "count", len(ls))
		env.Listener = ls[0]
	}

	pidFile := vars.DriverPIDFile(info.Name, args.UPS)
	if !args.Kill && args.DumpAfter == 0 {
		process.StopOlder(pidFile, info.Name, log)
		// In the foreground, NUT's drivers keep a PID file with -FF only.
		if daemon.IsCopy() || args.Mode == daemon.ForegroundPIDFile {
			if err := dm.WritePIDFile(pidFile); err != nil {
				log.Warn("cannot write PID file", "file", pidFile, "error", err)
			}
		}
	}
	env.Secure = func(sockPath, user, group string) error {
		id := process.Identity{User: user, Group: group, Chroot: args.Chroot}
		for _, f := range []string{sockPath, pidFile} {
			if _, err := os.Stat(f); f != "" && err == nil {
				id.Chown = append(id.Chown, f)
			}
		}
		return process.BecomeUser(id, log)
	}

	err = Run(ctx, d, args, env)
	if err != nil {
		log.Error(err.Error()) // on standard error too, until the driver is up
		var ee *ExitError
		if errors.As(err, &ee) {
			return ee.Code
		}
		return 1
	}
	return 0
}

// banner is what the driver prints first: its first line, then the
// lines of its communication layer.
func banner(info Info) string {
	return strings.Join(append([]string{info.Banner()}, info.MoreBanner...), "\n")
}

// Banner is the driver's first line, as NUT's drivers print it; its
// sub-drivers' lines (MoreBanner: its communication layer, its command
// table) follow it in banner.
func (info Info) Banner() string {
	return fmt.Sprintf("Network UPS Tools - %s %s (%s)", info.Description, info.Version, Version)
}

// printHelp is -h: NUT 2.8.0's text (its drivers/main.c help_msg, then
// the driver's own upsdrv_help), then what gonut's drivers add to it.
func printHelp(w io.Writer, info Info) {
	fmt.Fprintln(w, banner(info))
	fmt.Fprintf(w, `
usage: %s (-a <id>|-s <id>) [OPTIONS]
  -a <id>        - autoconfig using ups.conf section <id>
                 - note: -x after -a overrides ups.conf settings

  -s <id>        - configure directly from cmd line arguments
                 - note: must specify all driver parameters with successive -x
                 - note: at least 'port' variable should be set
                 - note: to explore the current values on a device from an
                   unprivileged user account (with sufficient media access in
                   the OS - e.g. to query networked devices), you can specify
                   '-d 1' argument and `+"`export NUT_STATEPATH=/tmp`"+` beforehand

  -V             - print version, then exit
  -L             - print parseable list of driver variables
  -D             - raise debugging level (and stay foreground by default)
  -d <count>     - dump data to stdout after 'count' updates loop and exit
  -F             - stay foregrounded even if no debugging is enabled
  -B             - stay backgrounded even if debugging is bumped
  -q             - raise log level threshold
  -h             - display this help
  -k             - force shutdown
  -i <int>       - poll interval
  -r <dir>       - chroot to <dir>
  -u <user>      - switch to <user> (if started as root)
  -g <group>     - set pipe access to <group> (if started as root)
  -x <var>=<val> - set driver variable <var> to <val>
                 - example: -x cable=940-0095B

`, info.Name)
	var added config.UPSKeys
	for i, o := range info.Options {
		if i == 0 {
			fmt.Fprintf(w, "Acceptable values for -x or ups.conf in this driver:\n\n")
		}
		if o.Extra {
			added = append(added, o)
			continue
		}
		printOption(w, o)
	}
	fmt.Fprint(w, info.Help)
	fmt.Fprintf(w, `
%s
  -FF            - stay foregrounded and still save the PID file
  -c <command>   - send <command> to the running instance:
                   reload, reload-or-error, reload-or-exit, exit
  -P <pid>       - send the signal above to specified PID (bypassing PID file)
`, version.Additions)
	if len(added) > 0 {
		fmt.Fprintf(w, "\nMore values for -x or ups.conf in this driver:\n\n")
		for _, o := range added {
			printOption(w, o)
		}
	}
}

// printOption is a -x setting's line of -h, right-aligned as NUT's.
func printOption(w io.Writer, o config.UPSKey) {
	if o.Flag() {
		fmt.Fprintf(w, "%40s : -x %s\n", o.Help, o.Name)
	} else {
		fmt.Fprintf(w, "%40s : -x %s=<value>\n", o.Help, o.Name)
	}
}

// printOptions is -L: one line a setting, as NUT's drivers print it.
func printOptions(w io.Writer, info Info) {
	for _, o := range info.Options {
		kind := "VALUE"
		if o.Flag() {
			kind = "FLAG"
		}
		fmt.Fprintf(w, "%s %s \"%s\"\n", kind, o.Name, strings.ReplaceAll(o.Help, `"`, `\"`))
	}
}
