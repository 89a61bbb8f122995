// Command upssched runs timers and commands for upsmon's events.
package main

import (
	"gonut/internal/cli"
	"gonut/monitor/upssched"
)

func main() { cli.Run(upssched.Main) }
