// Command apcsmart is NUT's driver for APC Smart protocol UPSes.
package main

import (
	"gonut/drivers/apcsmart"
	"gonut/internal/cli"
)

func main() { cli.Run(apcsmart.Main) }
