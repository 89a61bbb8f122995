// Command genericups is NUT's driver for contact-closure UPSes.
package main

import (
	"gonut/drivers/genericups"
	"gonut/internal/cli"
)

func main() { cli.Run(genericups.Main) }
