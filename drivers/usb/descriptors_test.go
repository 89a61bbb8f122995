package usb

import (
	"reflect"
	"testing"
)

// An Eaton 5E's configuration descriptor as lsusb -v shows it: one HID
// interface, its HID descriptor (wDescriptorLength 0x0280) before its
// interrupt IN endpoint.
var eatonConfig = []byte{
	0x09, 0x02, 0x22, 0x00, 0x01, 0x01, 0x00, 0xa0, 0x0a,
	0x09, 0x04, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00,
	0x09, 0x21, 0x10, 0x01, 0x21, 0x01, 0x22, 0x80, 0x02,
	0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0x14,
}

func TestParseConfigDescriptor(t *testing.T) {
	c, err := parseConfigDescriptor(eatonConfig)
	if err != nil {
		t.Fatal(err)
	}
	want := configDescriptor{Value: 1, Interfaces: []ifaceDescriptor{{Number: 0, Alt: 0, Class: 3, HIDLength: 0x280,
		Endpoints: []endpoint{{Address: 0x81, Attributes: 0x03, MaxPacket: 8}}}}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("%+v\nwant %+v", c, want)
	}

	// A HID descriptor after the endpoint is found too.
	late := append(append(append([]byte{}, eatonConfig[:18]...), eatonConfig[27:]...), eatonConfig[18:27]...)
	if c, err := parseConfigDescriptor(late); err != nil || c.Interfaces[0].HIDLength != 0x280 {
		t.Errorf("HID descriptor after the endpoint: %+v, %v", c, err)
	}

	// A descriptor of length 0 (libusb1.c's loop over the extra bytes
	// never ends on it) and one that runs past the end are errors.
	zero := append([]byte{}, eatonConfig...)
	zero[18] = 0
	if _, err := parseConfigDescriptor(zero); err == nil {
		t.Error("length 0 taken")
	}
	if _, err := parseConfigDescriptor(eatonConfig[:30]); err == nil {
		t.Error("truncated descriptor taken")
	}
	if _, err := parseConfigDescriptor([]byte{9, 4}); err == nil {
		t.Error("not a configuration descriptor, taken")
	}
}

func TestDecodeString(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want string
		err  bool
	}{
		{[]byte{12, 3, 'E', 0, 'A', 0, 'T', 0, 'O', 0, 'N', 0}, "EATON", false},
		{[]byte{8, 3, 'a', 0, 0xe9, 0, 0x3a, 0x04}, "a??", false},  // é and a Cyrillic letter
		{[]byte{10, 3, 'A', 0, 'B', 0, 0, 0, 'C', 0}, "AB", false}, // ends at NUL
		{[]byte{40, 3, 'A', 0}, "A", false},                        // bLength past the data
		{[]byte{2, 3}, "", false},
		{[]byte{4, 1, 'A', 0}, "", true},
		{[]byte{4}, "", true},
	} {
		got, err := decodeString(c.in)
		if got != c.want || (err != nil) != c.err {
			t.Errorf("% x: %q, %v", c.in, got, err)
		}
	}
}

// Descriptors come from devices: nothing in them may crash the driver.
func FuzzDescriptors(f *testing.F) {
	f.Add(eatonConfig)
	f.Add([]byte{18, 1, 0, 2, 0, 0, 0, 64, 0x63, 4, 0xff, 0xff, 0, 1, 1, 2, 3, 1})
	f.Add([]byte{12, 3, 'E', 0, 'A', 0, 'T', 0, 'O', 0, 'N', 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if c, err := parseConfigDescriptor(b); err == nil {
			for _, i := range c.Interfaces {
				if i.HIDLength > 0xffff {
					t.Fatalf("HID length %d", i.HIDLength)
				}
			}
		}
		parseDeviceDescriptor(b)
		parseHIDDescriptor(b)
		if s, err := decodeString(b); err == nil && len(s) > len(b)/2 {
			t.Fatalf("%q from %d bytes", s, len(b))
		}
	})
}
