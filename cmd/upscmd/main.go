package main

import (
	"gonut/clients/upscmd"
	"gonut/internal/cli"
)

func main() { cli.Run(upscmd.Main) }
