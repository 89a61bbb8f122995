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
	d := New(func() (usb.Bus, error) { return libusb.NewBus() })
	d.USBVersion = libusb.Version()
	return core.Main(d, args, env, std)
}
