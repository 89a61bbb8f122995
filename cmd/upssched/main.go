// Command upssched runs timers and commands for upsmon's events.
package main

import (
	"os"

	"gonut/monitor/upssched"
	"gonut/nutenv"
)

func main() {
	os.Exit(upssched.Main(os.Args[1:], nutenv.OS(), os.Getenv, os.Stderr))
}
