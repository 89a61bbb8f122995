// Command upsdrvsvcctl controls NUT drivers through their service units.
package main

import (
	"os"

	"gonut/enumerator"
	"gonut/nutenv"
)

func main() {
	os.Exit(enumerator.SvcctlMain(os.Args[1:], nutenv.OS(), os.Stdout, os.Stderr))
}
