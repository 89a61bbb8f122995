package main

import (
	"gonut/internal/cli"
	"gonut/server"
)

func main() { cli.Run(server.Main) }
