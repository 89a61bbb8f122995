package main

import (
	"gonut/drivers/usb"
	"gonut/drivers/usb/libusb"
	"gonut/internal/cli"
	"gonut/scanner"
)

func main() {
	cli.Run(scanner.Main(func() (usb.Bus, error) { return libusb.NewBus() }))
}
