// Command dummy-ups is NUT's simulation and repeater driver.
package main

import (
	"os"

	"gonut/drivers/core"
	"gonut/drivers/dummyups"
	"gonut/nutenv"
)

func main() {
	os.Exit(core.Main(dummyups.New(nutenv.OS())))
}
