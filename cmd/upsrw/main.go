// Command upsrw lists and sets a UPS's writable variables.
package main

import (
	"os"
	"path/filepath"

	"gonut/clients/upscmd"
	"gonut/clients/upsrw"
)

func main() {
	os.Exit(upsrw.Main(filepath.Base(os.Args[0]), os.Args[1:], upscmd.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
