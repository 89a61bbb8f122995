// Command upsdrvsvcctl controls NUT drivers through their service units.
package main

import (
	"gonut/enumerator"
	"gonut/internal/cli"
)

func main() { cli.Run(enumerator.SvcctlMain) }
