package usb

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// deviceDescriptor is what Open needs of a device descriptor.
type deviceDescriptor struct {
	Release                       uint16
	Manufacturer, Product, Serial uint8 // string indices, 0 for none
	NumConfigs                    int
}

func parseDeviceDescriptor(b []byte) (deviceDescriptor, error) {
	if len(b) < 18 || b[0] < 18 || b[1] != descDevice {
		return deviceDescriptor{}, fmt.Errorf("bad device descriptor % x", b)
	}
	return deviceDescriptor{
		Release:      binary.LittleEndian.Uint16(b[12:]),
		Manufacturer: b[14], Product: b[15], Serial: b[16],
		NumConfigs: int(b[17]),
	}, nil
}

// endpoint is an endpoint descriptor.
type endpoint struct {
	Address    uint8
	Attributes uint8
	MaxPacket  int
}

func (e endpoint) interruptIn() bool { return e.Address&0x80 != 0 && e.Attributes&0x03 == 0x03 }

// ifaceDescriptor is an interface (alternate setting) of a configuration
// and what follows it up to the next interface.
type ifaceDescriptor struct {
	Number, Alt int
	Class       uint8
	// HIDLength is the report descriptor length that the HID descriptor
	// among the interface's descriptors gives, -1 without one.
	HIDLength int
	Endpoints []endpoint
}

// configDescriptor is a configuration and its interfaces.
type configDescriptor struct {
	Value      int // bConfigurationValue, what SET_CONFIGURATION takes
	Interfaces []ifaceDescriptor
}

// iface finds alternate setting 0 of an interface.
func (c configDescriptor) iface(number int) (ifaceDescriptor, bool) {
	for _, i := range c.Interfaces {
		if i.Number == number && i.Alt == 0 {
			return i, true
		}
	}
	return ifaceDescriptor{}, false
}

// parseConfigDescriptor reads a whole configuration descriptor (the
// wTotalLength bytes). A HID descriptor is taken wherever it stands in the
// interface's part: libusb puts one that comes after the endpoints among
// the endpoint's extra bytes, where NUT's libusb1.c does not look. A
// descriptor shorter than 2 bytes ends the walk with an error (libusb1.c's
// loop over the extra bytes never ends on one of length 0).
func parseConfigDescriptor(b []byte) (configDescriptor, error) {
	if len(b) < 9 || b[0] < 9 || b[1] != descConfig {
		return configDescriptor{}, fmt.Errorf("bad configuration descriptor % x", b[:min(len(b), 9)])
	}
	total := int(binary.LittleEndian.Uint16(b[2:]))
	if total < 9 {
		return configDescriptor{}, fmt.Errorf("configuration descriptor of total length %d", total)
	}
	if total < len(b) {
		b = b[:total]
	}
	c := configDescriptor{Value: int(b[5])}
	var cur *ifaceDescriptor
	for i := int(b[0]); i < len(b); {
		n := int(b[i])
		if n < 2 {
			return c, fmt.Errorf("descriptor of length %d at offset %d of the configuration descriptor", n, i)
		}
		if i+n > len(b) {
			return c, fmt.Errorf("descriptor of length %d at offset %d runs past the configuration descriptor's %d bytes", n, i, len(b))
		}
		d := b[i : i+n]
		switch d[1] {
		case descIface:
			if n < 9 {
				return c, fmt.Errorf("interface descriptor of length %d at offset %d", n, i)
			}
			c.Interfaces = append(c.Interfaces, ifaceDescriptor{Number: int(d[2]), Alt: int(d[3]), Class: d[5], HIDLength: -1})
			cur = &c.Interfaces[len(c.Interfaces)-1]
		case descHID:
			if cur != nil && n >= 9 && cur.HIDLength < 0 {
				cur.HIDLength = int(binary.LittleEndian.Uint16(d[7:]))
			}
		case descEndpt:
			if cur != nil && n >= 7 {
				cur.Endpoints = append(cur.Endpoints, endpoint{Address: d[2], Attributes: d[3],
					MaxPacket: int(binary.LittleEndian.Uint16(d[4:]) & 0x7ff)})
			}
		}
		i += n
	}
	return c, nil
}

// parseHIDDescriptor reads wDescriptorLength from a HID descriptor that
// GET_DESCRIPTOR returned.
func parseHIDDescriptor(b []byte) (int, error) {
	if len(b) < 9 {
		return -1, fmt.Errorf("HID descriptor too short (expected 9, got %d)", len(b))
	}
	return int(binary.LittleEndian.Uint16(b[7:])), nil
}

var errBadString = errors.New("bad string descriptor")

// decodeString turns a string descriptor into ASCII as libusb's
// libusb_get_string_descriptor_ascii does: a character outside ASCII
// becomes '?'. The string ends at a NUL character, where NUT's C string
// ends (some devices pad their serial number with NULs).
func decodeString(b []byte) (string, error) {
	if len(b) < 2 || b[1] != descString {
		return "", errBadString
	}
	n := min(int(b[0]), len(b))
	out := make([]byte, 0, n/2)
	for i := 2; i+1 < n; i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		if c < 0x80 {
			out = append(out, byte(c))
		} else {
			out = append(out, '?')
		}
	}
	return string(out), nil
}
