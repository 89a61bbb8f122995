// Command upsd is NUT's network server.
package main

import (
	"os"

	"gonut/server"
)

func main() {
	os.Exit(server.Main(os.Args[1:], os.Stderr))
}
