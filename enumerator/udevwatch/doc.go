// Package udevwatch tells nut-driver-enumerator of the USB devices that
// are plugged in and of those that come and go, from udev (libudev, so
// cgo): what hotplug decides on. Hubs are left out.
package udevwatch

import "gonut/enumerator/hotplug"

// Event is a USB device that came (or changed) or went.
type Event struct {
	Remove bool
	Device hotplug.Device // only SysPath for a Remove
}
