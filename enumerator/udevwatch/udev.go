//go:build linux && cgo

package udevwatch

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	udev "github.com/jochenvg/go-udev"

	"gonut/drivers/usb"
	"gonut/enumerator/hotplug"
	rules "gonut/udev"
)

// Watch listens to udev for USB devices, then lists those plugged in
// already (listening first, nothing plugged in meanwhile is missed; a
// device may then be told of twice, which the caller takes as one). The
// events channel closes when ctx ends.
func Watch(ctx context.Context) (present []hotplug.Device, events <-chan Event, err error) {
	u := udev.Udev{}
	m := u.NewMonitorFromNetlink("udev")
	if m == nil {
		return nil, nil, fmt.Errorf("udev: cannot listen to udev's events")
	}
	if err := m.FilterAddMatchSubsystemDevtype("usb", "usb_device"); err != nil {
		return nil, nil, fmt.Errorf("udev: %w", err)
	}
	devs, errs, err := m.DeviceChan(ctx)
	if err != nil {
		return nil, nil, err
	}
	e := u.NewEnumerate()
	if err := e.AddMatchSubsystem("usb"); err != nil {
		return nil, nil, fmt.Errorf("udev: %w", err)
	}
	if err := e.AddMatchProperty("DEVTYPE", "usb_device"); err != nil {
		return nil, nil, fmt.Errorf("udev: %w", err)
	}
	if err := e.AddMatchIsInitialized(); err != nil {
		return nil, nil, fmt.Errorf("udev: %w", err)
	}
	list, err := e.Devices()
	if err != nil {
		return nil, nil, fmt.Errorf("udev: listing USB devices: %w", err)
	}
	for _, d := range list {
		if !hub(d) {
			present = append(present, device(d))
		}
	}
	out := make(chan Event, 16)
	go func() {
		defer close(out)
		for {
			select {
			case d, ok := <-devs:
				if !ok {
					return
				}
				ev := Event{Remove: d.Action() == "remove", Device: hotplug.Device{SysPath: d.Syspath()}}
				// unbind comes just before remove, when the device's
				// attributes are gone already: nothing to learn from it.
				if !ev.Remove && (d.Action() == "unbind" || hub(d)) {
					continue
				}
				if !ev.Remove {
					ev.Device = device(d)
				}
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			case _, ok := <-errs:
				if !ok {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return present, out, nil
}

// hub reports whether a device is a USB hub (class 09), root hubs
// included: no UPS, and not worth a log line.
func hub(d *udev.Device) bool { return strings.TrimSpace(d.SysattrValue("bDeviceClass")) == "09" }

// device reads what a USB device says of itself from udev and sysfs: the
// strings as the device gave them (udev's ID_SERIAL_SHORT has its spaces
// made "_"), the bus, address and port as NUT's matcher writes them.
func device(d *udev.Device) hotplug.Device {
	hex := func(attr string) uint16 {
		v, _ := strconv.ParseUint(strings.TrimSpace(d.SysattrValue(attr)), 16, 16)
		return uint16(v)
	}
	three := func(s string) string {
		n, err := strconv.Atoi(strings.TrimLeft(s, "0"))
		if err != nil {
			n = 0
		}
		return fmt.Sprintf("%03d", n)
	}
	id := usb.Identity{
		VendorID:  hex("idVendor"),
		ProductID: hex("idProduct"),
		Vendor:    strings.TrimSpace(d.SysattrValue("manufacturer")),
		Product:   strings.TrimSpace(d.SysattrValue("product")),
		Serial:    d.SysattrValue("serial"),
		Bus:       three(d.PropertyValue("BUSNUM")),
		Device:    three(d.PropertyValue("DEVNUM")),
		Release:   hex("bcdDevice"),
	}
	// The port on the parent hub: the last number of "3-1.2"; a root
	// hub ("usb3") has none.
	if name := d.Sysname(); strings.Contains(name, "-") {
		i := strings.LastIndexAny(name, "-.")
		if n, err := strconv.Atoi(name[i+1:]); err == nil {
			id.BusPort = fmt.Sprintf("%03d", n)
		}
	}
	return hotplug.Device{SysPath: d.Syspath(), Identity: id, Driver: d.PropertyValue(rules.DriverProperty), Pending: d.PropertyValue(rules.PendingProperty)}
}
