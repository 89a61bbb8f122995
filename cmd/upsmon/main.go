// Command upsmon watches UPSes and shuts the host down when power runs out.
package main

import (
	"gonut/internal/cli"
	"gonut/monitor"
)

func main() { cli.Run(monitor.Main) }
