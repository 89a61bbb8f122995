package main

import (
	"gonut/drivers/qx"
	"gonut/internal/cli"
)

func main() { cli.Run(qx.Main) }
