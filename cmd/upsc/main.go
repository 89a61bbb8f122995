package main

import (
	"gonut/clients/upsc"
	"gonut/internal/cli"
)

func main() { cli.Run(upsc.Main) }
