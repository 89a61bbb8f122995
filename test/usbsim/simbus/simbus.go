// Package simbus puts usbsim's devices (usbip.Devices) on a usb.Bus in
// the same process, so that a driver's host test runs the real usb.Open
// and usb.Conn against a simulated device's own bytes, with no kernel:
// what USB/IP would carry, handed over directly. Test code.
package simbus

import (
	"context"
	"errors"
	"time"

	"gonut/drivers/usb"
	"gonut/test/usbsim/usbip"
)

// Bus is a usb.Bus of simulated devices, on bus 1 at addresses 2, 3...
type Bus struct{ devices []usbip.Device }

// New puts devices on a bus, each connected (as a host that imported it).
func New(devices ...usbip.Device) *Bus {
	for _, d := range devices {
		d.Connected(true)
	}
	return &Bus{devices: devices}
}

// Devices implements usb.Bus.
func (b *Bus) Devices() ([]usb.Candidate, error) {
	var out []usb.Candidate
	for i, d := range b.devices {
		info := d.Info()
		out = append(out, usb.Candidate{Bus: 1, Address: 2 + i, Port: 1 + i, VendorID: info.VendorID, ProductID: info.ProductID})
	}
	return out, nil
}

// Open implements usb.Bus.
func (b *Bus) Open(c usb.Candidate) (usb.Handle, error) {
	i := c.Address - 2
	if c.Bus != 1 || i < 0 || i >= len(b.devices) {
		return nil, usb.CodeNoDevice
	}
	return &handle{d: b.devices[i]}, nil
}

type handle struct{ d usbip.Device }

func (h *handle) Control(rType, request uint8, value, index uint16, data []byte, timeout time.Duration) (int, error) {
	s := usbip.Setup{RequestType: rType, Request: request, Value: value, Index: index, Length: uint16(len(data))}
	var out []byte
	if !s.In() {
		out = append([]byte(nil), data...)
	}
	in, err := h.d.Control(s, out)
	switch {
	case errors.Is(err, usbip.ErrNoAnswer):
		time.Sleep(timeout)
		return 0, usb.CodeTimeout
	case err != nil:
		return 0, usb.CodePipe
	case s.In():
		return copy(data, in), nil
	}
	return len(data), nil
}

func (h *handle) Claim(config, iface int) error { return nil }

func (h *handle) Interrupt(ctx context.Context, endpoint uint8, buf []byte) (int, error) {
	for {
		if r, delivered, ok := h.d.TakeInput(endpoint & 0x0f); ok {
			delivered()
			n := copy(buf, r)
			if len(r) > len(buf) {
				return n, usb.CodeOverflow
			}
			return n, nil
		}
		select {
		case <-h.d.InputReady():
		case <-ctx.Done():
			return 0, usb.CodeTimeout
		}
	}
}

func (h *handle) Reset() error { return nil }
func (h *handle) Close() error { return nil }
