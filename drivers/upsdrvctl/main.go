package upsdrvctl

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"gonut/internal/cli"
	"gonut/internal/version"
	"gonut/nutenv"
)

// usage is NUT 2.8.0's help (%[1]s: the program, as it was run), then
// gonut's additions.
const usage = `Starts and stops UPS drivers via ups.conf.

usage: %[1]s [OPTIONS] (start | stop | shutdown) [<ups>]

  -h			display this help
  -r <path>		drivers will chroot to <path>
  -t			testing mode - prints actions without doing them
  -u <user>		drivers started will switch from root to <user>
  -D            	raise debugging level
  -d            	pass debugging level from upsdrvctl to driver
  start			start all UPS drivers in ups.conf
  start	<ups>		only start driver for UPS <ups>
  stop			stop all UPS drivers in ups.conf
  stop <ups>		only stop driver for UPS <ups>
  shutdown		shutdown all UPS drivers in ups.conf
  shutdown <ups>	only shutdown UPS <ups>

%[2]s
usage: %[1]s [OPTIONS] (status | list) [<ups>]
       %[1]s [OPTIONS] -c <command> [<ups>]

  -F			driver stays foregrounded even if no debugging is enabled
  -FF			driver stays foregrounded and still saves the PID file
  -B			driver stays backgrounded even if debugging is bumped
  -l			same as the list command
  -c <command>		send <command> via the driver to a running instance:
			reload, reload-or-error, reload-or-exit, exit
  status [<ups>]	show whether the drivers run and answer
  list [<ups>]		list the UPS names in ups.conf
`

// Main is upsdrvctl's main; it returns the exit code.
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	argv, stdout, stderr := cli.Args(args), std.Out, std.Err
	var opts Options
	var command string
	var rest []string
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'h':
				fmt.Fprintln(stdout, banner())
				prog := cli.Called(args, "upsdrvctl")
				fmt.Fprintf(stdout, usage, prog, version.Additions)
				return 0
			case 'V':
				// NUT's answers its banner (its help does not say so).
				fmt.Fprintln(stdout, banner())
				return 0
			case 't':
				opts.Test = true
				opts.Debug++
			case 'd':
				opts.PassDebug = true
			case 'D', 'F', 'B':
				opts.Take(a[j], "")
			case 'l':
				command = "list"
			case 'r', 'u', 'c':
				var v string
				if j+1 < len(a) {
					v = a[j+1:]
				} else if i+1 < len(argv) {
					i++
					v = argv[i]
				} else {
					fmt.Fprintf(stderr, "upsdrvctl: option -%c needs a value\n", a[j])
					return 1
				}
				opts.Take(a[j], v)
				j = len(a)
			default:
				fmt.Fprintf(stderr, "upsdrvctl: unknown option -%c (try -h)\n", a[j])
				return 1
			}
		}
	}
	if env("NUT_QUIET_INIT_BANNER") == "" {
		fmt.Fprintln(stdout, banner())
	}
	if command == "" && opts.Command == "" {
		if len(rest) == 0 {
			fmt.Fprint(stderr, "upsdrvctl: a command is needed (start, stop, shutdown, status, list or -c); see -h\n")
			return 1
		}
		command, rest = rest[0], rest[1:]
	}
	name := ""
	if len(rest) > 0 {
		name = rest[0]
	}
	if len(rest) > 1 {
		fmt.Fprintf(stderr, "upsdrvctl: too many arguments: %v\n", rest)
		return 1
	}
	if opts.Test {
		fmt.Fprintln(stderr, "*** Testing mode: not calling exec/kill")
	}
	c, err := New(opts, env, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "upsdrvctl: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	switch {
	case opts.Command != "":
		err = c.Command(opts.Command, name)
	case command == "start":
		err = c.Start(ctx, name)
	case command == "stop":
		err = c.Stop(name)
	case command == "shutdown":
		err = c.Shutdown(name)
	case command == "status":
		err = c.Status(name)
	case command == "list":
		err = c.List(name)
	default:
		fmt.Fprintf(stderr, "Error: unrecognized command [%s]\n", command)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "upsdrvctl: %v\n", err)
		return 1
	}
	return 0
}

func banner() string {
	return "Network UPS Tools - UPS driver controller " + version.Gonut
}
