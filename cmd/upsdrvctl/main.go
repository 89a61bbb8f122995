// Command upsdrvctl starts, stops and shuts down the drivers of ups.conf.
package main

import (
	"os"

	"gonut/drivers/upsdrvctl"
)

func main() {
	os.Exit(upsdrvctl.Main(os.Args[1:], os.Stdout, os.Stderr))
}
