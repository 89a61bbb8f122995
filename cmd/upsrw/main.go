package main

import (
	"gonut/clients/upsrw"
	"gonut/internal/cli"
)

func main() { cli.Run(upsrw.Main) }
