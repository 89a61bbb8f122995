package main

import (
	"gonut/internal/cli"
	"gonut/scanner"
)

func main() { cli.Run(scanner.Main) }
