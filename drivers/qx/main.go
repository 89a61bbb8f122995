package qx

import (
	"time"

	"gonut/drivers/core"
	"gonut/drivers/serial"
	"gonut/drivers/usb"
	"gonut/drivers/usb/libusb"
	"gonut/internal/cli"
	"gonut/nutenv"
)

// Main is nutdrv_qx's main: the driver core runs this driver on the
// serial line of ups.conf's port, or on the system's USB bus (libusb)
// for a UPS behind a USB-serial bridge.
func Main(args []string, env nutenv.Env, std cli.Stdio) int {
	d := New(serial.Open, time.Now)
	d.USBBus = func() (usb.Bus, error) { return libusb.NewBus() }
	d.USBVersion = libusb.Version()
	return core.Main(d, args, env, std)
}
