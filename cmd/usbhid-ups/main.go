package main

import (
	"gonut/drivers/usbhidups"
	"gonut/internal/cli"
)

func main() { cli.Run(usbhidups.Main) }
