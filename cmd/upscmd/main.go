// Command upscmd runs instant commands on a UPS.
package main

import (
	"os"
	"path/filepath"

	"gonut/clients/upscmd"
)

func main() {
	os.Exit(upscmd.Main(filepath.Base(os.Args[0]), os.Args[1:], upscmd.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
