package snmp

import (
	"fmt"
	"time"

	"gonut/drivers/core"
	"gonut/internal/cli"
	"gonut/nutenv"
)

// Main is snmp-ups's main: the driver core runs this driver;
// -x mibs=--list prints the mappings it knows and exits, as NUT's.
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	for i, a := range args {
		if a == "mibs=--list" && i > 0 && args[i-1] == "-x" {
			fmt.Fprintln(std.Out, New(time.Now).Info().Banner())
			ListMappings(std.Out)
			return 0
		}
	}
	return core.Main(New(time.Now), args, env, std)
}
