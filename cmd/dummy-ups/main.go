// Command dummy-ups is NUT's simulation and repeater driver.
package main

import (
	"gonut/drivers/dummyups"
	"gonut/internal/cli"
)

func main() { cli.Run(dummyups.Main) }
