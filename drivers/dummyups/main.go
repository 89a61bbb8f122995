package dummyups

import (
	"gonut/drivers/core"
	"gonut/internal/cli"
	"gonut/nutenv"
)

// Main is dummy-ups's main: the driver core runs this driver.
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	return core.Main(New(env), args, env, std)
}
