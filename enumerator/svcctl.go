package enumerator

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"gonut/internal/cli"
	"gonut/nutenv"
)

const svcctlUsage = `Usage: upsdrvsvcctl [OPTIONS] COMMAND [<ups>]

NUT's driver control through the service manager (gonut): each ups.conf
section runs as its service instance (nut-driver@<section> under systemd,
svc:/system/power/nut-driver:<section> under SMF).

  start [<ups>]        start the driver service(s)
  stop [<ups>]         stop them (and their sockets)
  shutdown [<ups>]     tell the UPS(es) to power off (upsdrvctl shutdown)
  resync               bring the instances in step with ups.conf
  reconfigure          define every instance again
  list [<ups>]         sections and their service instances ("runtime":
                       a hot-plugged USB device's section)
  status [<ups>]       and whether they run
  show-config [<ups>]  the sections of ups.conf

  -t                   say what would be done, do nothing
  -h                   this help
`

// SvcctlMain runs upsdrvsvcctl; it returns the exit code.
func SvcctlMain(argv []string, vars nutenv.Env, std cli.Stdio) int {
	args, stdout, stderr := cli.Args(argv), std.Out, std.Err
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
			fmt.Fprint(stdout, svcctlUsage)
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
		fmt.Fprint(stderr, svcctlUsage)
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
		fmt.Fprint(stderr, svcctlUsage)
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
