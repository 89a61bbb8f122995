package enumerator

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"gonut/internal/cli"
	"gonut/internal/version"
	"gonut/nutenv"
)

// svcctlUsage is the help of NUT 2.8.0's upsdrvsvcctl script, then
// gonut's additions: %[1]s is the program as it was run, %[2]s the
// enumerator it calls (ours, beside it), %[3]s the version.
const svcctlUsage = `Network UPS Tools - UPS driver controller %[3]s
Starts and stops UPS drivers via system service instances, see
the %[2]s
script for more details.

usage: %[1]s [OPTIONS] (start | stop | shutdown) [<ups>]

Options:
  -h            	display this help
  -t            	testing mode - prints actions without doing them
  -D            	raise debugging level
  start         	start all UPS drivers in ups.conf
  start <ups>   	only start driver for UPS <ups>
  stop          	stop all UPS drivers in ups.conf
  stop <ups>    	only stop driver for UPS <ups>

Note: the "shutdown" options from original upsdrvctl are not currently
directly supported by this service management framework wrapper; instead
they are passed to the native upsdrvctl binary (your current user account
should have sufficient permissions to do that all):
  shutdown      	shutdown all UPS drivers in ups.conf
  shutdown <ups>	only shutdown UPS <ups>

usage: %[1]s [OPTIONS] resync
  resync        	call %[2]s
                	to update the mapping of service instances for
                	NUT drivers to device sections in 'ups.conf'

usage: %[1]s [OPTIONS] reconfigure
  reconfigure   	call %[2]s
                	to remove and re-create the mapping of all service
                	instances for NUT drivers to device sections in
                	'ups.conf' e.g. after a NUT package upgrade

usage: %[1]s [OPTIONS] list [<ups>]
  list          	call %[2]s
                	to list the mapping of service instances to device sections
  list <ups>    	(optionally return the service instance name for one device)

usage: %[1]s [OPTIONS] show-config [<ups>]
  show-config <ups>	output config section from ups.conf for device <ups>
  show-config   	...or all devices if no <ups> argument was passed

%[4]s
usage: %[1]s [OPTIONS] status [<ups>]
  status        	list the service instances and whether each runs
  status <ups>  	(only the instance of device <ups>)
  list          	also lists the instances of hot-plugged USB devices,
                	with "runtime" for their section
`

// printSvcctlUsage writes the help; prog is the program as it was run.
func printSvcctlUsage(w io.Writer, prog string) {
	self, _ := os.Executable()
	fmt.Fprintf(w, svcctlUsage, prog, filepath.Join(filepath.Dir(self), "nut-driver-enumerator"), version.Gonut, version.Additions)
}

// SvcctlMain runs upsdrvsvcctl; it returns the exit code.
func SvcctlMain(argv []string, vars nutenv.Env, std cli.Stdio) int {
	args, stdout, stderr := cli.Args(argv), std.Out, std.Err
	prog := cli.Called(argv, "upsdrvsvcctl")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "upsdrvsvcctl: "+format+"\n", a...)
		return 1
	}
	dry := false
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		switch args[0] {
		case "-t":
			dry = true
		case "-h", "--help":
			printSvcctlUsage(stdout, prog)
			return 0
		case "-r", "-u":
			fmt.Fprintf(stderr, "Option '%s' is not implemented via services currently\n", args[0])
			if len(args) > 1 {
				args = args[1:]
			}
		case "-D":
		default:
			return fail("unknown option %s (try -h)", args[0])
		}
		args = args[1:]
	}
	if len(args) == 0 {
		printSvcctlUsage(stderr, prog)
		return 1
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "resync":
		return Main([]string{"nut-driver-enumerator"}, vars, std)
	case "reconfigure", "reconf":
		return Main([]string{"nut-driver-enumerator", "--reconfigure"}, vars, std)
	case "show-config":
		if len(rest) == 0 {
			return Main([]string{"nut-driver-enumerator", "--show-configs"}, vars, std)
		}
		return Main([]string{"nut-driver-enumerator", "--show-config", rest[0]}, vars, std)
	case "shutdown":
		self, _ := os.Executable()
		upsdrvctl := filepath.Join(filepath.Dir(self), "upsdrvctl")
		c := exec.Command(upsdrvctl, append([]string{"shutdown"}, rest...)...)
		if dry {
			fmt.Fprintln(stdout, c.String())
			return 0
		}
		c.Stdout, c.Stderr = stdout, stderr
		if err := c.Run(); err != nil {
			return 1
		}
		return 0
	case "start", "stop", "list", "status":
	default:
		printSvcctlUsage(stderr, prog)
		return 1
	}
	conf, err := loadUPSConf(vars, stderr)
	if err != nil {
		return fail("%v", err)
	}
	framework := Framework(vars)
	plan := PlanFor(conf, NamingFor(framework))
	if len(rest) > 0 {
		var one []Instance
		for _, in := range plan {
			if in.Section == rest[0] {
				one = append(one, in)
			}
		}
		if len(one) == 0 {
			return fail("no section [%s] in %s", rest[0], vars.ConfFile("ups.conf"))
		}
		plan = one
	}
	if cmd == "list" {
		printServices(stdout, plan)
		return 0
	}
	ctx := context.Background()
	b, err := openManager(ctx, vars, framework)
	if err != nil {
		return fail("%v", err)
	}
	defer b.Close()
	code := 0
	for _, in := range plan {
		switch cmd {
		case "status":
			fmt.Fprintf(stdout, "%s\t%s\t%s\n", in.Section, in.Unit(), b.status(ctx, in.Name))
		case "start", "stop":
			if dry {
				fmt.Fprintf(stdout, "%s %s\n", cmd, in.Unit())
				continue
			}
			if err := b.control(ctx, cmd, in.Name); err != nil {
				fmt.Fprintf(stderr, "upsdrvsvcctl: %s %s: %v\n", cmd, in.Unit(), err)
				code = 1
			}
		}
	}
	return code
}
