package scanner

import (
	"context"
	"fmt"
	"strings"

	"gonut/drivers/usb"
	"gonut/udev"
)

// Claim is the driver that claims a device, for ScanUSB: udev.Claim's,
// pending drivers included (NUT's nut-scanner names the driver of each
// of NUT's tables, and so does ours, gonut's or not yet).
func Claim(vendorID, productID uint16) (string, bool) {
	r, ok := udev.Claim(vendorID, productID)
	return r.Driver, ok
}

// ScanUSB lists the devices of the bus that a driver claims (by vendor
// and product: NUT's is_usb_device_supported; claim is udev.Claim, which
// also writes the udev rules and serves the hot-plug enumerator), each
// with what it says of itself, as NUT's nut-scanner prints them; open is
// the error of a device that cannot be opened, which is skipped (NUT's
// words).
func ScanUSB(ctx context.Context, bus usb.Bus, claim func(vendorID, productID uint16) (driver string, ok bool), open func(error)) ([]Device, error) {
	cands, err := bus.Devices()
	if err != nil {
		return nil, err
	}
	var out []Device
	for _, c := range cands {
		driver, ok := claim(c.VendorID, c.ProductID)
		if !ok {
			continue
		}
		id, err := usb.Identify(ctx, bus, c)
		if err != nil {
			open(fmt.Errorf("Failed to open device bus '%03d', skipping: %w", c.Bus, err))
			continue
		}
		d := Device{Bus: "USB", Driver: driver, Port: "auto", Opts: []Opt{
			{"vendorid", fmt.Sprintf("%04X", c.VendorID)}, {"productid", fmt.Sprintf("%04X", c.ProductID)}}}
		for _, o := range []Opt{{"product", id.Product}, {"serial", id.Serial}, {"vendor", id.Vendor}} {
			if v := strings.TrimRight(o.Value, " "); v != "" {
				d.Opts = append(d.Opts, Opt{o.Key, v})
			}
		}
		out = append(out, withOpts(d, Opt{"bus", fmt.Sprintf("%03d", c.Bus)}))
	}
	return out, nil
}
