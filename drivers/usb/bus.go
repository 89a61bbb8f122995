package usb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gonut/drivers/hid"
)

// Banner is the line NUT 2.8.0's USB drivers print under their own
// banner, naming their USB layer (libusb1.c's name and version).
const Banner = "USB communication driver (libusb 1.0) 0.43"

// Bus lists and opens the USB devices of the system: libusb on a real
// one (package libusb), scripted devices in tests (package replay).
type Bus interface {
	// Devices lists the devices present, in the system's order.
	Devices() ([]Candidate, error)
	// Open opens one of them.
	Open(c Candidate) (Handle, error)
}

// Candidate is a device as the system lists it, before it is opened.
type Candidate struct {
	Bus, Address int
	Port         int // on the parent hub; 0 for a root hub
	VendorID     uint16
	ProductID    uint16
}

// Handle is an opened device. Control and Interrupt may be called from
// two goroutines at once.
type Handle interface {
	// Control makes a control transfer: IN (data is filled, the count
	// returned) when rType has 0x80, OUT otherwise.
	Control(rType, request uint8, value, index uint16, data []byte, timeout time.Duration) (int, error)
	// Claim detaches the kernel's driver (usbhid) from the interface
	// if one is bound to it, makes config (a bConfigurationValue) the
	// active configuration if it is not, and claims the interface.
	Claim(config, iface int) error
	// Interrupt reads from an interrupt IN endpoint of the claimed
	// interface until data comes (the count is returned) or ctx ends
	// (CodeTimeout).
	Interrupt(ctx context.Context, endpoint uint8, buf []byte) (int, error)
	// Reset resets the device; the claim is lost, Claim again.
	Reset() error
	// Close releases the interface and the device.
	Close() error
}

// Standard requests and descriptor types (USB 2.0, chapter 9; HID 1.11).
const (
	reqGetStatus     = 0x00
	reqClearFeature  = 0x01
	reqGetDescriptor = 0x06

	descDevice = 0x01
	descConfig = 0x02
	descString = 0x03
	descIface  = 0x04
	descEndpt  = 0x05
	descHID    = 0x21
	descReport = 0x22

	rtDeviceIn     = 0x80 // IN, standard, device
	rtInterfaceIn  = 0x81 // IN, standard, interface
	rtEndpointOut  = 0x02 // OUT, standard, endpoint
	rtClassIfaceIn = 0xa1 // IN, class, interface
	rtClassIfaceOt = 0x21 // OUT, class, interface

	hidGetReport = 0x01
	hidSetReport = 0x09
)

// ReportType is a HID report's type, as GET_REPORT and SET_REPORT name it:
// drivers/hid's, written in lower case ("feature").
type ReportType hid.ReportType

const (
	Input   = ReportType(hid.Input)
	Output  = ReportType(hid.Output)
	Feature = ReportType(hid.Feature)
)

func (t ReportType) String() string {
	if t < Input || t > Feature {
		return fmt.Sprintf("report type %d", uint8(t))
	}
	return strings.ToLower(hid.ReportType(t).String())
}
