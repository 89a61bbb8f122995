package usbhidups

import (
	"gonut/drivers/core"
	"gonut/drivers/usb"
	"gonut/drivers/usb/libusb"
	"gonut/internal/cli"
	"gonut/nutenv"
)

// Main is usbhid-ups's main: the driver core runs this driver on the
// system's USB bus (libusb).
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	return core.Main(New(func() (usb.Bus, error) { return libusb.NewBus() }), args, env, std)
}
