// Command upslog logs a UPS's state at intervals.
package main

import (
	"os"
	"path/filepath"

	"gonut/clients/upslog"
	"gonut/nutenv"
)

func main() {
	os.Exit(upslog.Main(filepath.Base(os.Args[0]), os.Args[1:], nutenv.OS(), os.Stdout, os.Stderr))
}
