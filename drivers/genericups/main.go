package genericups

import (
	"gonut/drivers/core"
	"gonut/internal/cli"
	"gonut/nutenv"
)

// Main is genericups's main: the driver core runs this driver on the
// section's serial port.
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	return core.Main(New(OpenLines), args, env, std)
}
