// Command upsmon watches UPSes and shuts the host down when power runs out.
package main

import (
	"os"

	"gonut/monitor"
	"gonut/nutenv"
)

func main() {
	os.Exit(monitor.Main(os.Args[1:], nutenv.OS(), os.Stdout, os.Stderr))
}
