// Command upsc shows UPS variables.
package main

import (
	"os"

	"gonut/clients/upsc"
)

func main() {
	os.Exit(upsc.Main(os.Args[1:], os.Stdout, os.Stderr))
}
