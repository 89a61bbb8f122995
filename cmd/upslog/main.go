package main

import (
	"gonut/clients/upslog"
	"gonut/internal/cli"
)

func main() { cli.Run(upslog.Main) }
