package main

import (
	"gonut/enumerator"
	"gonut/internal/cli"
)

func main() { cli.Run(enumerator.SvcctlMain) }
