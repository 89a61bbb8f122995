package hiddev

import (
	"encoding/binary"
	"unicode/utf16"

	"gonut/test/usbsim/devfile"
	"gonut/test/usbsim/hiddesc"
)

// Descriptor types.
const (
	dtDevice    = 0x01
	dtConfig    = 0x02
	dtString    = 0x03
	dtInterface = 0x04
	dtEndpoint  = 0x05
	dtHID       = 0x21
	dtReport    = 0x22
)

const (
	bcdUSB         = 0x0110 // a full-speed USB 1.1 device, as most UPSes
	bcdHID         = 0x0110
	maxPacket0     = 8
	interruptEP    = 0x81 // endpoint 1 IN
	interval       = 10   // ms
	configValue    = 1
	langEnglishUS  = 0x0409
	maxPacketLimit = 64 // full speed interrupt endpoints
)

func deviceDescriptor(d *devfile.Device) []byte {
	b := []byte{18, dtDevice}
	b = binary.LittleEndian.AppendUint16(b, bcdUSB)
	b = append(b, 0, 0, 0, maxPacket0) // class at interface level
	b = binary.LittleEndian.AppendUint16(b, d.VendorID)
	b = binary.LittleEndian.AppendUint16(b, d.ProductID)
	b = binary.LittleEndian.AppendUint16(b, d.BCDDevice)
	return append(b, d.Manufacturer, d.Product, d.Serial, 1)
}

func hidDescriptor(d *devfile.Device) []byte {
	b := []byte{9, dtHID}
	b = binary.LittleEndian.AppendUint16(b, bcdHID)
	b = append(b, 0, 1, dtReport) // no country, one report descriptor
	return binary.LittleEndian.AppendUint16(b, uint16(len(d.ReportDescriptor)))
}

// endpointSize is the interrupt endpoint's wMaxPacketSize: room for the
// longest input report in one packet where full speed allows.
func endpointSize(d *devfile.Device) uint16 {
	return uint16(min(max(d.Layout.MaxLen(hiddesc.Input), 8), maxPacketLimit))
}

// configDescriptor is the whole configuration: one HID interface (class 3,
// no boot protocol) with its HID descriptor and one interrupt IN endpoint.
func configDescriptor(d *devfile.Device) []byte {
	iface := []byte{9, dtInterface, 0, 0, 1, 3, 0, 0, 0}
	ep := []byte{7, dtEndpoint, interruptEP, 0x03}
	ep = binary.LittleEndian.AppendUint16(ep, endpointSize(d))
	ep = append(ep, interval)
	rest := append(append(iface, hidDescriptor(d)...), ep...)
	b := []byte{9, dtConfig}
	b = binary.LittleEndian.AppendUint16(b, uint16(9+len(rest)))
	b = append(b, 1, configValue, 0, 0xa0, 50) // bus powered, remote wakeup, 100 mA
	return append(b, rest...)
}

func stringDescriptor(s string) []byte {
	units := utf16.Encode([]rune(s))
	if len(units) > 126 {
		units = units[:126] // a descriptor is at most 255 bytes
	}
	b := []byte{byte(2 + 2*len(units)), dtString}
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}
