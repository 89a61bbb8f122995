package qx

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gonut/drivers/core"
	"gonut/drivers/usb"
	"gonut/internal/ctxsleep"
)

// openUSB finds the UPS's bridge on the USB bus as NUT's upsdrv_initups
// does: ups.conf's matching options, then the subdriver it names or the
// first row of the ID table that fits the device.
func (d *Driver) openUSB(ctx context.Context, dev *core.Device) error {
	var forced *bridge
	if name, ok := dev.Value("subdriver"); ok {
		_, vid := dev.Value("vendorid")
		_, pid := dev.Value("productid")
		if !vid || !pid {
			return errors.New("When specifying a subdriver, 'vendorid' and 'productid' are mandatory.")
		}
		if forced = bridgeNamed(name); forced == nil {
			return fmt.Errorf("Subdriver '%s' not found!", name)
		}
	}
	langID := -1
	if v, ok := dev.Value("langid_fix"); ok {
		// NUT skips two characters ("0x") and reads hexadecimal.
		n, err := strconv.ParseUint(leadingHex(v), 16, 31)
		if len(v) < 2 || err != nil {
			dev.Log.Info("Error enabling language ID workaround")
		} else {
			langID = int(n)
			dev.Log.Debug(fmt.Sprintf("Language ID workaround enabled (using '0x%x')", langID))
		}
	}
	m, err := usb.NewMatcher(dev.Value)
	if err != nil {
		return err
	}
	if d.USBBus == nil {
		return errors.New("no USB bus")
	}
	bus, err := d.USBBus()
	if err != nil {
		return err
	}
	var chosen *bridge
	conn, err := usb.Open(ctx, bus, usb.Selector{
		Matcher: m, Log: dev.Log,
		Known: func(v, p uint16) bool { return forced != nil || len(USBIDs().Claims(v, p)) > 0 },
		Claim: func(id usb.Identity) (usb.Interface, bool) {
			chosen = forced
			if chosen == nil {
				chosen = bridgeFor(id)
			}
			return usb.Interface{}, chosen != nil
		},
	})
	if errors.Is(err, usb.ErrNotFound) {
		return errors.New("No supported devices found. Please check your device availability with 'lsusb'\n" +
			"and make sure you have an up-to-date version of NUT. If this does not help,\n" +
			"try running the driver with at least 'subdriver', 'vendorid' and 'productid'\n" +
			"options specified. Please refer to the man page for details about these options\n" +
			"(man 8 nutdrv_qx).")
	}
	if err != nil {
		return err
	}
	if chosen.name == "snr" && langID < 0 {
		// NUT's asks its strings in langid_fix's language, and exits
		// at the first request without one (an out of range langid).
		conn.Close()
		return errors.New("subdriver snr: set langid_fix (0x409, say): this bridge's strings are asked in that language")
	}
	d.usb = &usbLink{conn: conn, bridge: chosen, langID: langID, sleep: ctxsleep.Sleep}
	id := conn.Identity()
	dev.Tree.Set("ups.vendorid", fmt.Sprintf("%04x", id.VendorID))
	dev.Tree.Set("ups.productid", fmt.Sprintf("%04x", id.ProductID))
	dev.Log.Debug("using USB bridge: " + chosen.name)
	if langID >= 0 && !dev.Flag("noscanlangid") {
		if b, err := d.usb.rawString(ctx, 0, 0, 255); err == nil && len(b) >= 4 {
			dev.Log.Debug(fmt.Sprintf("First supported language ID: 0x%x (please report to the NUT maintainer!)", int(b[2])|int(b[3])<<8))
		}
	}
	return nil
}

// leadingHex is what NUT's sscanf(value + 2, "%x") reads: the hex digits
// after the first two characters.
func leadingHex(v string) string {
	if len(v) < 2 {
		return ""
	}
	v = v[2:]
	end := 0
	for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] >= 'a' && v[end] <= 'f' || v[end] >= 'A' && v[end] <= 'F') {
		end++
	}
	return v[:end]
}
