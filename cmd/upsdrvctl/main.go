// Command upsdrvctl starts, stops and shuts down the drivers of ups.conf.
package main

import (
	"gonut/drivers/upsdrvctl"
	"gonut/internal/cli"
)

func main() { cli.Run(upsdrvctl.Main) }
