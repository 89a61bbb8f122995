package main

import (
	"gonut/internal/cli"
	"gonut/monitor"
)

func main() { cli.Run(monitor.Main) }
