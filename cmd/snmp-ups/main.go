package main

import (
	"gonut/drivers/snmp"
	"gonut/internal/cli"
)

func main() { cli.Run(snmp.Main) }
