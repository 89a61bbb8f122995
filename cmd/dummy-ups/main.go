package main

import (
	"gonut/drivers/dummyups"
	"gonut/internal/cli"
)

func main() { cli.Run(dummyups.Main) }
