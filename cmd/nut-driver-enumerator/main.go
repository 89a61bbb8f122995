// Command nut-driver-enumerator keeps a driver service per ups.conf section.
package main

import (
	"gonut/enumerator"
	"gonut/internal/cli"
)

func main() { cli.Run(enumerator.Main) }
