package qx

import (
	"time"

	"gonut/drivers/core"
	"gonut/drivers/serial"
	"gonut/internal/cli"
	"gonut/nutenv"
)

// Main is nutdrv_qx's main: the driver core runs this driver on the
// serial line of ups.conf's port.
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	return core.Main(New(serial.Open, time.Now), args, env, std)
}
