// Command upsrw lists and sets a UPS's writable variables.
package main

import (
	"gonut/clients/upsrw"
	"gonut/internal/cli"
)

func main() { cli.Run(upsrw.Main) }
