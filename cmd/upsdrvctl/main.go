package main

import (
	"gonut/drivers/upsdrvctl"
	"gonut/internal/cli"
)

func main() { cli.Run(upsdrvctl.Main) }
