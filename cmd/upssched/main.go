package main

import (
	"gonut/internal/cli"
	"gonut/monitor/upssched"
)

func main() { cli.Run(upssched.Main) }
